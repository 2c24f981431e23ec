namespace Tessera.Policy.Ast;

/// <summary>Whether a satisfied policy permits or forbids the request.</summary>
internal enum Effect
{
    Permit,
    Forbid,
}

namespace Tessera.Policy.Ast;

/// <summary>The request variables of Cedar.</summary>
internal enum Variable
{
    Principal,
    Action,
    Resource,
    Context,
}

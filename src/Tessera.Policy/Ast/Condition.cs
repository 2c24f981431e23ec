namespace Tessera.Policy.Ast;

/// <summary>A <c>when { body }</c> (<see cref="IsWhen"/>) or <c>unless { body }</c> clause.</summary>
internal sealed record Condition(bool IsWhen, Expr Body);

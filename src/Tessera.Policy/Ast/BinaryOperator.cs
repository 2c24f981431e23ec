namespace Tessera.Policy.Ast;

/// <summary>Cedar's binary operators.</summary>
internal enum BinaryOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    In,
    Add,
    Subtract,
    Multiply,
    And,
    Or,
}

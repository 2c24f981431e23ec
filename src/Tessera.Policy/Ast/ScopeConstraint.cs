using Tessera.Policy.Entities;
using Tessera.Policy.Values;

namespace Tessera.Policy.Ast;

/// <summary>
/// One scope constraint. <see cref="Entities"/> holds one entity, or for <c>action in [A, B]</c> the list;
/// <see cref="Slot"/> is set instead when the constraint names a template slot.
/// </summary>
internal sealed record ScopeConstraint(ScopeKind Kind, IReadOnlyList<EntityUid> Entities, string? EntityType, string? Slot, bool IsList)
{
    public static readonly ScopeConstraint Any = new(ScopeKind.Any, [], null, null, IsList: false);

    /// <summary>Fills the slot with <paramref name="entity"/>; constraints without a slot are returned unchanged.</summary>
    public ScopeConstraint Link(EntityUid? entity) => Slot is null
        ? this
        : this with { Entities = [entity ?? throw new ArgumentException($"template slot ?{Slot} needs a value", nameof(entity))], Slot = null };

    /// <summary>The constraint as a condition on <paramref name="variable"/>, so scope and body evaluate alike.</summary>
    public Expr ToExpr(Variable variable)
    {
        var target = new VariableExpr(variable);
        Expr Target() => Slot is not null
            ? new SlotExpr(Slot)
            : IsList
                ? new SetExpr([.. Entities.Select(e => (Expr)new LiteralExpr(new EntityValue(e)))])
                : new LiteralExpr(new EntityValue(Entities[0]));

        return Kind switch
        {
            ScopeKind.Any => new LiteralExpr(BoolValue.True),
            ScopeKind.Equal => new BinaryExpr(BinaryOperator.Equal, target, Target()),
            ScopeKind.In => new BinaryExpr(BinaryOperator.In, target, Target()),
            ScopeKind.Is => new IsExpr(target, EntityType!, null),
            ScopeKind.IsIn => new IsExpr(target, EntityType!, Target()),
            _ => throw new InvalidOperationException($"unknown scope kind {Kind}"),
        };
    }
}

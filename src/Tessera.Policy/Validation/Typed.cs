using System.Collections.Immutable;
using Tessera.Policy.Schema;

namespace Tessera.Policy.Validation;

/// <summary>
/// The result of typing an expression: its type, or null when typing failed (the error is already recorded),
/// and the capabilities that hold when the expression evaluates to true.
/// </summary>
internal readonly record struct Typed(SchemaType? Type, ImmutableHashSet<Capability> Capabilities)
{
    public static readonly Typed Failed = new(null, []);

    public static Typed Of(SchemaType type) => new(type, []);
}

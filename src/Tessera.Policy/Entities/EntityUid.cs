using Tessera.Policy.Internal;

namespace Tessera.Policy.Entities;

/// <summary>
/// The unique identifier of a Cedar entity: a (possibly namespaced) type name such as <c>Photo</c> or
/// <c>App::User</c>, and an id string. Printed in Cedar syntax, for example <c>App::User::"alice"</c>.
/// </summary>
/// <param name="Type">The entity type name, with <c>::</c> between namespace components.</param>
/// <param name="Id">The entity id; any string, including the empty string.</param>
public readonly record struct EntityUid(string Type, string Id)
{
    /// <summary>Parses a UID written in Cedar syntax, such as <c>App::User::"alice"</c> (escapes allowed in the id).</summary>
    /// <param name="text">The text.</param>
    /// <param name="uid">The UID, when the text is one.</param>
    /// <returns>True when <paramref name="text"/> is exactly one entity UID.</returns>
    public static bool TryParse(string text, out EntityUid uid)
    {
        ArgumentNullException.ThrowIfNull(text);
        uid = default;
        try
        {
            if (Parsing.Parser.ParseExpression(text) is Ast.LiteralExpr { Value: Values.EntityValue entity })
            {
                uid = entity.Uid;
                return true;
            }
        }
        catch (Parsing.PolicyParseException)
        {
            // Not Cedar syntax at all: reported as false like any other non-UID text.
        }

        return false;
    }

    /// <summary>Returns the UID in Cedar syntax: <c>Type::"id"</c> with the id quoted and escaped.</summary>
    public override string ToString() => $"{Type}::{CedarStrings.Quote(Id)}";
}

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
    /// <summary>Returns the UID in Cedar syntax: <c>Type::"id"</c> with the id quoted and escaped.</summary>
    public override string ToString() => $"{Type}::{CedarStrings.Quote(Id)}";
}

using System.Text.Json;
using Tessera.Policy.Authorization;
using Tessera.Policy.Entities;
using Tessera.Policy.Schema;

namespace Tessera.Policy.Tests.Validation;

public sealed class RequestValidationTests
{
    private static readonly CedarSchema Schema = CedarSchema.Parse("""
        entity Group;
        entity User in [Group] { age: Long, nick?: String } tags Long;
        entity Color enum ["red"];
        action read appliesTo { principal: [User], resource: [Group, Color], context: { ip: ipaddr, n?: Long } };
        action none;
        """);

    private static readonly PolicySet Policies = PolicySet.Parse("permit(principal, action, resource);");

    [Fact]
    public void IsAuthorized_ValidRequestWithSchema_Decides()
    {
        var response = Policies.IsAuthorized(Request("User", "read", "Group", """{"ip": "10.0.0.1"}"""), EntityStore.Empty, Schema);
        Assert.Equal(Decision.Allow, response.Decision);
        Assert.Empty(response.RequestErrors);
    }

    [Theory]
    [InlineData("User", "write", "Group", """{"ip": "10.0.0.1"}""", "request's action `Action::\"write\"` is not declared in the schema")]
    [InlineData("Group", "read", "Group", """{"ip": "10.0.0.1"}""", "principal type `Group` is not valid for `Action::\"read\"` (valid principal types: `User`)")]
    [InlineData("User", "read", "User", """{"ip": "10.0.0.1"}""", "resource type `User` is not valid for `Action::\"read\"` (valid resource types: `Group`, `Color`)")]
    [InlineData("User", "none", "Group", "{}", "principal type `User` is not valid for `Action::\"none\"` (valid principal types: none) && resource type `Group` is not valid for `Action::\"none\"` (valid resource types: none)")]
    [InlineData("User", "read", "Group", "{}", "context is not valid for `Action::\"read\"`: context is missing the required attribute `ip`")]
    [InlineData("User", "read", "Group", """{"ip": "10.0.0.1", "n": "x"}""", "context is not valid for `Action::\"read\"`: context.n should have type Long, found string")]
    [InlineData("User", "read", "Group", """{"ip": "10.0.0.1", "z": 1}""", "context is not valid for `Action::\"read\"`: context has the attribute `z`, which the schema does not declare")]
    [InlineData("User", "read", "Color", """{"ip": "10.0.0.1"}""", "entity `Color::\"x\"` is of an enumerated entity type, but `\"x\"` is not declared as a valid eid")]
    public void IsAuthorized_InvalidRequestWithSchema_DeniesWithRequestError(string principal, string action, string resource, string context, string message)
    {
        var response = Policies.IsAuthorized(Request(principal, action, resource, context), EntityStore.Empty, Schema);
        Assert.Equal(Decision.Deny, response.Decision);
        Assert.Empty(response.Reasons);
        Assert.Equal(message.Split(" && "), response.RequestErrors);
    }

    [Fact]
    public void IsAuthorized_WithoutSchema_DoesNotValidate()
    {
        var response = Policies.IsAuthorized(Request("Group", "write", "User", "{}"), EntityStore.Empty);
        Assert.Equal(Decision.Allow, response.Decision);
    }

    [Theory]
    [InlineData("""[{"uid": {"type": "Robot", "id": "r"}, "attrs": {}, "parents": []}]""", "entities[0]: entity type `Robot` is not declared in the schema")]
    [InlineData("""[{"uid": {"type": "User", "id": "u"}, "attrs": {}, "parents": []}]""", "entities[0].attrs is missing the required attribute `age`")]
    [InlineData("""[{"uid": {"type": "User", "id": "u"}, "attrs": {"age": "old"}, "parents": []}]""", "entities[0].attrs.age should have type Long, found string")]
    [InlineData("""[{"uid": {"type": "User", "id": "u"}, "attrs": {"age": 1, "x": 1}, "parents": []}]""", "entities[0].attrs has the attribute `x`, which the schema does not declare")]
    [InlineData("""[{"uid": {"type": "User", "id": "u"}, "attrs": {"age": 1}, "parents": [{"type": "User", "id": "v"}]}]""", "entities[0]: `User::\"u\"` may not have a parent of type `User` according to the schema")]
    [InlineData("""[{"uid": {"type": "User", "id": "u"}, "attrs": {"age": 1}, "parents": [], "tags": {"t": "s"}}]""", "entities[0].tags.t should have type Long, found string")]
    [InlineData("""[{"uid": {"type": "Group", "id": "g"}, "attrs": {}, "parents": [], "tags": {"t": 1}}]""", "entities[0].tags: entity type `Group` has no tags in the schema")]
    [InlineData("""[{"uid": {"type": "Color", "id": "blue"}, "attrs": {}, "parents": []}]""", "entities[0]: entity `Color::\"blue\"` is of an enumerated entity type, but `\"blue\"` is not declared as a valid eid")]
    [InlineData("""[{"uid": {"type": "Action", "id": "write"}, "attrs": {}, "parents": []}]""", "entities[0]: action `Action::\"write\"` is not declared in the schema")]
    public void FromJson_WithSchema_RejectsEntitiesThatDoNotConform(string json, string message)
    {
        var error = Assert.Throws<FormatException>(() => EntityStore.FromJson(json, Schema));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void FromJson_WithSchema_AcceptsConformingEntities()
    {
        var store = EntityStore.FromJson("""
            [{"uid": {"type": "User", "id": "u"}, "attrs": {"age": 3, "nick": "n"}, "parents": [{"type": "Group", "id": "g"}], "tags": {"k": 1}},
             {"uid": {"type": "Group", "id": "g"}, "attrs": {}, "parents": []}]
            """, Schema);
        Assert.True(store.IsDescendantOf(new EntityUid("User", "u"), new EntityUid("Group", "g")));
    }

    private static AuthorizationRequest Request(string principal, string action, string resource, string context)
    {
        using var json = JsonDocument.Parse(context);
        return new AuthorizationRequest
        {
            Principal = new EntityUid(principal, "x"),
            Action = new EntityUid("Action", action),
            Resource = new EntityUid(resource, "x"),
            Context = RequestContext.FromJson(json.RootElement, Schema, new EntityUid("Action", action)),
        };
    }
}

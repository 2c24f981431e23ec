using Tessera.Policy.Authorization;
using Tessera.Policy.Entities;

namespace Tessera.Policy.Tests.Json;

public sealed class EntityJsonTests
{
    [Theory]
    [InlineData("{}", "entities: expected a JSON array of entities")]
    [InlineData("[{}]", "entities[0]: an entity needs a `uid`")]
    [InlineData("""[{"uid": {"type": "A"}, "attrs": {}, "parents": []}]""", "entities[0].uid: expected an entity reference {\"type\": …, \"id\": …}")]
    [InlineData("""[{"uid": {"type": "A", "id": "a"}, "attrs": {"x": 1.5}, "parents": []}]""", "entities[0].attrs.x: 1.5 is not a 64-bit integer")]
    [InlineData("""[{"uid": {"type": "A", "id": "a"}, "attrs": {"x": null}, "parents": []}]""", "entities[0].attrs.x: Null is not a Cedar value")]
    [InlineData("""[{"uid": {"type": "A", "id": "a"}, "attrs": {"x": {"__extn": {"fn": "ip", "arg": "nope"}}}, "parents": []}]""", "entities[0].attrs.x: invalid ip literal \"nope\"")]
    [InlineData("""[{"uid": {"type": "A", "id": "a"}, "attrs": {"x": {"__extn": {"fn": "frob", "arg": "1"}}}, "parents": []}]""", "entities[0].attrs.x: unknown extension function `frob`")]
    [InlineData("""[{"uid": {"type": "A", "id": "a"}, "attrs": {}, "parents": {}}]""", "entities[0].parents: expected an array")]
    [InlineData("""[{"uid": {"type": "A", "id": "a"}, "attrs": {}, "parents": []}, {"uid": {"__entity": {"type": "A", "id": "a"}}, "attrs": {}, "parents": []}]""", "entities: duplicate entity A::\"a\"")]
    [InlineData("""[{"uid": {"type": "A", "id": "a"}, "parent": []}]""", "entities[0]: missing field `attrs`")]
    [InlineData("""[{"uid": {"type": "A", "id": "a"}, "attrs": {}}]""", "entities[0]: missing field `parents`")]
    [InlineData("""[{"uid": {"type": "if", "id": "a"}, "attrs": {}, "parents": []}]""", "entities[0].uid: `if` is not a valid entity type name")]
    [InlineData("""[{"uid": {"type": "A", "id": "a"}, "attrs": {}, "parents": [{"type": "__cedar::A", "id": "b"}]}]""", "entities[0].parents[0]: `__cedar::A` is not a valid entity type name")]
    [InlineData("""[{"uid": {"type": "A", "id": "a"}, "attrs": {"x": {"__entity": {"type": "1A", "id": "b"}}}, "parents": []}]""", "entities[0].attrs.x: `1A` is not a valid entity type name")]
    [InlineData("""[{"uid": {"type": "A", "id": "a"}, "attrs": {"x": {"__expr": "1"}}, "parents": []}]""", "entities[0].attrs.x: the `__expr` escape is no longer supported")]
    public void FromJson_Malformed_ExactError(string json, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => EntityStore.FromJson(json)).Message);

    [Fact]
    public void FromJson_MalformedEscapeShapes_AreRecordsAsInReference()
    {
        var store = EntityStore.FromJson("""
            [{"uid": {"type": "User", "id": "alice"}, "parents": [], "attrs": {
              "x": {"__extn": {"fn": "ip"}}, "y": {"__entity": {"type": "A", "id": "b"}, "z": 1}, "w": {"__entity": {"type": "A"}}}}]
            """);
        Assert.True(Cedar.True("principal.x.__extn.fn == \"ip\" && principal.y.z == 1 && principal.y.__entity == {type: \"A\", id: \"b\"} && principal.w has __entity", store));
    }

    [Fact]
    public void FromJson_DeeplyNestedJson_RejectedNotRecursed()
    {
        var json = "[{\"uid\": {\"type\": \"A\", \"id\": \"a\"}, \"attrs\": {\"x\": " + new string('[', 100_000) + new string(']', 100_000) + "}}]";
        Assert.StartsWith("entities: invalid JSON", Assert.Throws<FormatException>(() => EntityStore.FromJson(json)).Message);
    }

    [Fact]
    public void FromJson_TenMegabyteString_LoadsAndCompares()
    {
        var big = new string('x', 10 * 1024 * 1024);
        var store = EntityStore.FromJson("[{\"uid\": {\"type\": \"User\", \"id\": \"alice\"}, \"parents\": [], \"attrs\": {\"blob\": \"" + big + "\"}}]");
        Assert.True(Cedar.True("principal.blob like \"x*x\" && principal.blob != \"x\"", store));
    }

    [Fact]
    public void FromJson_LongParentChain_InIsIterative()
    {
        const int length = 200_000;
        var json = "[" + string.Join(",", Enumerable.Range(0, length).Select(i =>
            $"{{\"uid\": {{\"type\": \"G\", \"id\": \"{i}\"}}, \"attrs\": {{}}, \"parents\": [{{\"type\": \"G\", \"id\": \"{i + 1}\"}}]}}")) + "]";
        var store = EntityStore.FromJson(json);
        Assert.True(Cedar.True($"G::\"0\" in G::\"{length}\"", store));
    }

    [Fact]
    public void ContextFromJson_NotAnObject_Rejected() =>
        Assert.Equal("context: expected an object, found Array", Assert.Throws<FormatException>(() => RequestContext.FromJson("[]")).Message);
}

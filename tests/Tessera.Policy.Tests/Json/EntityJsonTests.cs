using Tessera.Policy.Authorization;
using Tessera.Policy.Entities;

namespace Tessera.Policy.Tests.Json;

public sealed class EntityJsonTests
{
    [Theory]
    [InlineData("{}", "entities: expected a JSON array of entities")]
    [InlineData("[{}]", "entities[0]: an entity needs a `uid`")]
    [InlineData("""[{"uid": {"type": "A"}}]""", "entities[0].uid: expected an entity reference {\"type\": …, \"id\": …}")]
    [InlineData("""[{"uid": {"type": "A", "id": "a"}, "attrs": {"x": 1.5}}]""", "entities[0].attrs.x: 1.5 is not a 64-bit integer")]
    [InlineData("""[{"uid": {"type": "A", "id": "a"}, "attrs": {"x": null}}]""", "entities[0].attrs.x: Null is not a Cedar value")]
    [InlineData("""[{"uid": {"type": "A", "id": "a"}, "attrs": {"x": {"__extn": {"fn": "ip", "arg": "nope"}}}}]""", "entities[0].attrs.x: invalid ip literal \"nope\"")]
    [InlineData("""[{"uid": {"type": "A", "id": "a"}, "attrs": {"x": {"__extn": {"fn": "frob", "arg": "1"}}}}]""", "entities[0].attrs.x: unknown extension function `frob`")]
    [InlineData("""[{"uid": {"type": "A", "id": "a"}, "parents": {}}]""", "entities[0].parents: expected an array")]
    [InlineData("""[{"uid": {"type": "A", "id": "a"}}, {"uid": {"__entity": {"type": "A", "id": "a"}}}]""", "entities: duplicate entity A::\"a\"")]
    [InlineData("""[{"uid": {"type": "A", "id": "a"}, "parent": []}]""", "entities[0]: unknown field `parent` (expected uid, attrs, parents, tags)")]
    public void FromJson_Malformed_ExactError(string json, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => EntityStore.FromJson(json)).Message);

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
        var store = EntityStore.FromJson("[{\"uid\": {\"type\": \"User\", \"id\": \"alice\"}, \"attrs\": {\"blob\": \"" + big + "\"}}]");
        Assert.True(Cedar.True("principal.blob like \"x*x\" && principal.blob != \"x\"", store));
    }

    [Fact]
    public void FromJson_LongParentChain_InIsIterative()
    {
        const int length = 200_000;
        var json = "[" + string.Join(",", Enumerable.Range(0, length).Select(i =>
            $"{{\"uid\": {{\"type\": \"G\", \"id\": \"{i}\"}}, \"parents\": [{{\"type\": \"G\", \"id\": \"{i + 1}\"}}]}}")) + "]";
        var store = EntityStore.FromJson(json);
        Assert.True(Cedar.True($"G::\"0\" in G::\"{length}\"", store));
    }

    [Fact]
    public void ContextFromJson_NotAnObject_Rejected() =>
        Assert.Equal("context: expected an object, found Array", Assert.Throws<FormatException>(() => RequestContext.FromJson("[]")).Message);
}

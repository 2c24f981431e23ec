using System.Text.Json;
using Tessera.Policy.Authorization;
using Tessera.Policy.Entities;
using Tessera.Policy.Parsing;
using Tessera.Policy.Schema;
using Tessera.Policy.Values;

namespace Tessera.Policy.Tests.Schema;

public sealed class SchemaParsingTests
{
    private const string SchemaText = """
        namespace App {
          type Address = { city: String, ip?: ipaddr };
          @doc("users")
          entity User in [Group] = { manager: User, home: Address, score: decimal, tags: Set<Group> };
          entity Group;
          action read, "write file" in [act] appliesTo {
            principal: [User], resource: [Group],
            context: { from: ipaddr, at: datetime, who: User }
          };
          action act;
        }
        """;

    [Fact]
    public void FromJson_WithSchema_ReadsImplicitEntitiesAndExtensionStrings()
    {
        var schema = CedarSchema.Parse(SchemaText);
        var store = EntityStore.FromJson("""
            [{"uid": {"type": "App::User", "id": "a"},
              "attrs": {"manager": {"type": "App::User", "id": "b"},
                        "home": {"city": "Oslo", "ip": "10.0.0.1"},
                        "score": "0.5",
                        "tags": [{"type": "App::Group", "id": "g"}]},
              "parents": []}]
            """, schema);
        Assert.True(store.TryGet(new EntityUid("App::User", "a"), out var user));
        Assert.Equal(new EntityValue(new EntityUid("App::User", "b")), user.Attributes["manager"]);
        Assert.IsType<Tessera.Policy.Extensions.IpValue>(Assert.IsType<RecordValue>(user.Attributes["home"]).Fields["ip"]);
        Assert.IsType<Tessera.Policy.Extensions.DecimalValue>(user.Attributes["score"]);
        Assert.True(Assert.IsType<SetValue>(user.Attributes["tags"]).Contains(new EntityValue(new EntityUid("App::Group", "g"))));
    }

    [Fact]
    public void FromJson_WithSchema_AddsActionsWithGroups()
    {
        var store = EntityStore.FromJson("[]", CedarSchema.Parse(SchemaText));
        Assert.True(store.IsDescendantOf(new EntityUid("App::Action", "write file"), new EntityUid("App::Action", "act")));
        Assert.True(store.Contains(new EntityUid("App::Action", "read")));
    }

    [Fact]
    public void ContextFromJson_WithSchema_UsesActionContextType()
    {
        var schema = CedarSchema.Parse(SchemaText);
        using var json = JsonDocument.Parse("""{"from": "192.168.0.1", "at": "2024-01-01", "who": {"type": "App::User", "id": "a"}}""");
        var context = RequestContext.FromJson(json.RootElement, schema, new EntityUid("App::Action", "read"));
        Assert.IsType<Tessera.Policy.Extensions.IpValue>(context.Record.Fields["from"]);
        Assert.IsType<Tessera.Policy.Extensions.DatetimeValue>(context.Record.Fields["at"]);
        Assert.IsType<EntityValue>(context.Record.Fields["who"]);
    }

    [Fact]
    public void Parse_InvalidSchema_ErrorWithPosition()
    {
        var error = Assert.Throws<PolicyParseException>(() => CedarSchema.Parse("entity User = { name String };"));
        Assert.Equal("line 1, column 22: unexpected `String`, expected `:`", error.Message);
    }
}

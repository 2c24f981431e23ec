using Tessera.Policy.Schema;

namespace Tessera.Policy.Tests.Schema;

public sealed class JsonSchemaTests
{
    private const string CedarText = """
        type Shared = { note?: String };
        entity Org;
        namespace App {
          type Address = { city: String, ip?: ipaddr, extra: Shared };
          entity User in [Group, Org] = { home: Address, score: decimal, "odd key"?: Set<datetime>, boss: User } tags Set<String>;
          entity Group;
          entity Color enum ["red", "green"];
          action read, "write file" in [act] appliesTo {
            principal: [User], resource: [Group, User],
            context: { from: ipaddr, at?: duration, who: App::User }
          };
          action act;
          action none;
        }
        """;

    private const string JsonText = """
        {
          "": {
            "commonTypes": { "Shared": { "type": "Record", "attributes": { "note": { "type": "String", "required": false } } } },
            "entityTypes": { "Org": {} },
            "actions": {}
          },
          "App": {
            "commonTypes": {
              "Address": { "type": "Record", "attributes": {
                "city": { "type": "String" },
                "ip": { "type": "Extension", "name": "ipaddr", "required": false },
                "extra": { "type": "Shared" } } }
            },
            "entityTypes": {
              "User": {
                "memberOfTypes": ["Group", "Org"],
                "shape": { "type": "Record", "attributes": {
                  "home": { "type": "EntityOrCommon", "name": "Address" },
                  "score": { "type": "EntityOrCommon", "name": "decimal" },
                  "odd key": { "type": "Set", "element": { "type": "Extension", "name": "datetime" }, "required": false },
                  "boss": { "type": "Entity", "name": "User" } } },
                "tags": { "type": "Set", "element": { "type": "String" } }
              },
              "Group": {},
              "Color": { "enum": ["red", "green"] }
            },
            "actions": {
              "read": { "memberOf": [{ "id": "act" }], "appliesTo": {
                "principalTypes": ["User"], "resourceTypes": ["Group", "App::User"],
                "context": { "type": "Record", "attributes": {
                  "from": { "type": "Extension", "name": "ipaddr" },
                  "at": { "type": "duration", "required": false },
                  "who": { "type": "Entity", "name": "App::User" } } } } },
              "write file": { "memberOf": [{ "id": "act", "type": "App::Action" }], "appliesTo": {
                "principalTypes": ["User"], "resourceTypes": ["Group", "User"],
                "context": { "type": "Record", "attributes": {
                  "from": { "type": "EntityOrCommon", "name": "ipaddr" },
                  "at": { "type": "EntityOrCommon", "name": "duration", "required": false },
                  "who": { "type": "User" } } } } },
              "act": {},
              "none": { "appliesTo": { "principalTypes": [], "resourceTypes": [] } }
            }
          }
        }
        """;

    [Fact]
    public void ParseJson_SameSchemaAsCedarSyntax_DescribesAlike()
    {
        var fromCedar = CedarSchema.Parse(CedarText).Describe();
        var fromJson = CedarSchema.ParseJson(JsonText).Describe();
        Assert.Equal(fromCedar, fromJson);
        Assert.Contains(
            """entity App::User in [App::Group, Org] {"boss": App::User, "home": {"city": String, "extra": {"note"?: String}, "ip"?: ipaddr}, "odd key"?: Set<datetime>, "score": decimal} tags Set<String>;""",
            fromJson.Split('\n'));
        Assert.Contains("""entity App::Color {} enum ["red", "green"];""", fromJson.Split('\n'));
        Assert.Contains(
            """action App::Action::"write file" in [App::Action::"act"] appliesTo { principal: [App::User], resource: [App::Group, App::User], context: {"at"?: duration, "from": ipaddr, "who": App::User} };""",
            fromJson.Split('\n'));
    }

    [Fact]
    public void ParseJson_ModelForBothFormats_HasTagsParentsAndAppliesTo()
    {
        var schema = CedarSchema.ParseJson(JsonText);
        var user = schema.EntityTypes["App::User"];
        Assert.Equal(["App::Group", "Org"], user.MemberOfTypes);
        Assert.Equal(new SetType(PrimitiveType.String), user.Tags);
        Assert.False(user.Attributes.Attributes["odd key"].Required);
        var read = schema.Actions[new Entities.EntityUid("App::Action", "read")];
        Assert.Equal(["App::User"], read.PrincipalTypes);
        Assert.Empty(schema.Actions[new Entities.EntityUid("App::Action", "act")].PrincipalTypes);
    }

    [Theory]
    [InlineData("""{"": {"entityTypes": {"A": {"shape": {"type": "Record", "attributes": {"x": {"type": "Nope"}}}}}}}""", "schema: undeclared type `Nope`")]
    [InlineData("""{"": {"entityTypes": {"A": {"memberOfTypes": ["B"]}}}}""", "schema: undeclared entity type `B`")]
    [InlineData("""{"": {"actions": {"a": {"memberOf": [{"id": "b"}]}}}}""", "schema: undeclared action `Action::\"b\"`")]
    [InlineData("""{"": {"entityTypes": {"A": {"shape": {"type": "Record", "attributes": {"x": {}}}}}}}""", "schema.\"\".entityTypes.A.shape.attributes.x: missing field `type`")]
    [InlineData("""{"N": {"entityTypes": {}, "actions": {}, "types": {}}}""", "schema.N: unknown field `types`, expected `entityTypes`, `actions` or `commonTypes`")]
    [InlineData("""{"": {"commonTypes": {"T": {"type": "U"}, "U": {"type": "T"}}, "entityTypes": {"A": {"shape": {"type": "T"}}}}}""", "schema: common type `T` is defined in terms of itself")]
    [InlineData("""{"": {"entityTypes": {"A": {"shape": {"type": "Long"}}}}}""", "schema: the shape of entity type `A` must be a record")]
    [InlineData("""[1]""", "schema: expected an object, found Array")]
    public void ParseJson_InvalidSchema_ExactError(string json, string message)
    {
        var error = Assert.Throws<FormatException>(() => CedarSchema.ParseJson(json));
        Assert.Equal(message, error.Message);
    }
}

using Tessera.Policy.Authorization;
using Tessera.Policy.Entities;
using Tessera.Policy.Parsing;

namespace Tessera.Policy.Tests.Evaluation;

public sealed class TemplateTests
{
    private const string Template = """
        permit(principal == ?principal, action, resource in ?resource);
        permit(principal, action, resource) when { false };
        """;

    [Fact]
    public void Link_FillsSlots_LinkedPolicyDecides()
    {
        var set = PolicySet.Parse(Template);
        Assert.Equal(["policy0"], set.TemplateIds);
        Assert.Equal(["policy1"], set.PolicyIds);
        Assert.Equal(Decision.Deny, set.IsAuthorized(Request(), EntityStore.Empty).Decision);

        var linked = set.Link("policy0", "alice-photos", principal: Cedar.Alice, resource: Cedar.Photo);
        var response = linked.IsAuthorized(Request(), EntityStore.Empty);
        Assert.Equal(Decision.Allow, response.Decision);
        Assert.Equal(["alice-photos"], response.Reasons);
    }

    [Fact]
    public void Link_MissingSlotValueOrTakenId_Throws()
    {
        var set = PolicySet.Parse(Template);
        Assert.Equal("template slot ?resource needs a value (Parameter 'entity')",
            Assert.Throws<ArgumentException>(() => set.Link("policy0", "x", principal: Cedar.Alice)).Message);
        Assert.Equal("a policy or template with id `policy1` already exists (Parameter 'linkId')",
            Assert.Throws<ArgumentException>(() => set.Link("policy0", "policy1", Cedar.Alice, Cedar.Photo)).Message);
        Assert.Equal("no template with id `policy1` (Parameter 'templateId')",
            Assert.Throws<ArgumentException>(() => set.Link("policy1", "y", Cedar.Alice)).Message);
    }

    [Theory]
    [InlineData("permit(principal == ?resource, action, resource);", "line 1, column 21: slot `?resource` is not allowed here")]
    [InlineData("permit(principal, action == ?principal, resource);", "line 1, column 29: slot `?principal` is not allowed here")]
    [InlineData("permit(principal, action, resource in ?other);", "line 1, column 39: slot `?other` is not allowed here")]
    public void Parse_SlotInWrongPlace_ParseError(string text, string message) =>
        Assert.Equal(message, Assert.Throws<PolicyParseException>(() => PolicySet.Parse(text)).Message);

    [Fact]
    public void Parse_SlotInCondition_ParseError() =>
        Assert.Equal("line 1, column 49: template slot `?principal` is only allowed in the policy scope",
            Assert.Throws<PolicyParseException>(() => PolicySet.Parse("permit(principal, action, resource) when { 1 == ?principal };")).Message);

    private static AuthorizationRequest Request() => new() { Principal = Cedar.Alice, Action = Cedar.View, Resource = Cedar.Photo };
}

using Tessera.Cli.Drill;

namespace Tessera.Cli.Tests.Drill;

public sealed class DrillKindsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Parse_Nothing_EveryKindEntryDeleteLast(string? text)
    {
        var kinds = DrillKinds.Parse(text, []);

        Assert.Equal(["svid-serial", "svid-id", "jwt-jti", "jwt-id", "entry-delete"], kinds!.Select(k => k.Name));
    }

    [Fact]
    public void Parse_EntryDeleteFirst_MovedLastOthersInGivenOrder()
    {
        var kinds = DrillKinds.Parse("entry-delete, jwt-id,svid-serial", []);

        Assert.Equal(["jwt-id", "svid-serial", "entry-delete"], kinds!.Select(k => k.Name));
    }

    [Fact]
    public void Parse_Unknown_ExactError()
    {
        var problems = new List<string>();

        Assert.Null(DrillKinds.Parse("svid-serial,ca", problems));
        Assert.Equal("--kinds: unknown kind 'ca' (known: svid-serial, svid-id, jwt-jti, jwt-id, entry-delete)", Assert.Single(problems));
    }

    [Fact]
    public void Parse_Repeated_ExactError()
    {
        var problems = new List<string>();

        Assert.Null(DrillKinds.Parse("jwt-jti,jwt-jti", problems));
        Assert.Equal("--kinds: 'jwt-jti' is given twice", Assert.Single(problems));
    }

    [Fact]
    public void Parse_OnlyCommas_ExactError()
    {
        var problems = new List<string>();

        Assert.Null(DrillKinds.Parse(",,", problems));
        Assert.Equal("--kinds: give at least one kind", Assert.Single(problems));
    }

    [Fact]
    public void All_CredentialsDecideThePoints()
    {
        Assert.Equal(
            [CredentialKind.X509, CredentialKind.X509, CredentialKind.Jwt, CredentialKind.Jwt, CredentialKind.Entry],
            DrillKinds.All.Select(k => k.Credential));
        Assert.Equal(["entry-delete"], DrillKinds.All.Where(k => k.RemovesEntry).Select(k => k.Name));
    }
}

using System.CommandLine;
using Tessera.Cli.Internal;

namespace Tessera.Cli.Tests.Internal;

public sealed class ReasonOptionTests
{
    [Fact]
    public void Get_ReasonGiven_ReturnsItAndWritesNothing()
    {
        var reason = ReasonOption.ForCaChange();
        using var error = new StringWriter();

        var why = reason.Get(Parse(reason, "--reason", "key leaked"), error);

        Assert.Equal("key leaked", why);
        Assert.Empty(error.ToString());
    }

    [Theory]
    [InlineData]
    [InlineData("--reason", "  ")]
    public void Get_CaChangeWithoutReason_NullAndCaLine(params string[] args)
    {
        var reason = ReasonOption.ForCaChange();
        using var error = new StringWriter();

        var why = reason.Get(Parse(reason, args), error);

        Assert.Null(why);
        Assert.Equal("--reason is required: say why the key is rotated, tainted or removed (it is kept in the audit log)" + Environment.NewLine, error.ToString());
    }

    [Fact]
    public void Get_RevocationWithoutReason_NullAndRevocationLine()
    {
        var reason = ReasonOption.ForRevocation();
        using var error = new StringWriter();

        var why = reason.Get(Parse(reason), error);

        Assert.Null(why);
        Assert.Equal("--reason is required: say why the credential is revoked (it is kept with the revocation and in the audit log)" + Environment.NewLine, error.ToString());
    }

    [Fact]
    public void Option_DescriptionsSayWhereTheReasonIsKept()
    {
        Assert.Equal("--reason", ReasonOption.ForCaChange().Option.Name);
        Assert.Equal("why (required; kept in the audit log)", ReasonOption.ForCaChange().Option.Description);
        Assert.Equal("why (required; kept with the revocation and in the audit log)", ReasonOption.ForRevocation().Option.Description);
    }

    private static ParseResult Parse(ReasonOption reason, params string[] args) =>
        new RootCommand { reason.Option }.Parse(args);
}

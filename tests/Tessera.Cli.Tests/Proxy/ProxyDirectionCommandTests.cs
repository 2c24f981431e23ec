using System.CommandLine;
using Tessera.Cli.Proxy;

namespace Tessera.Cli.Tests.Proxy;

public sealed class ProxyDirectionCommandTests
{
    [Fact]
    public void Create_DirectionFlagsFirstThenSharedFlags()
    {
        var command = Create(_ => throw new InvalidOperationException("not invoked"));

        Assert.Equal("sideways", command.Name);
        Assert.Equal("a test direction", command.Description);
        Assert.Equal(
            ["--target", "--peer", "--peer-trust-domain", "--listen", "--spiffe-id", "--connect-timeout", "--handshake-timeout"],
            command.Options.Select(o => o.Name).Take(7));
    }

    [Fact]
    public async Task Invoke_NoPeerFlags_BadInputAndNoConnectionHandler()
    {
        var handlerCreated = false;
        var command = Create(_ =>
        {
            handlerCreated = true;
            throw new InvalidOperationException("the handler must not be created for bad input");
        });

        var exitCode = await command.Parse(["--listen", "127.0.0.1:0", "--target", "127.0.0.1:9"]).InvokeAsync();

        Assert.Equal(2, exitCode);
        Assert.False(handlerCreated);
    }

    [Fact]
    public async Task Invoke_BadPeerId_BadInput()
    {
        var command = Create(_ => throw new InvalidOperationException("the handler must not be created for bad input"));

        var exitCode = await command.Parse(["--listen", "127.0.0.1:0", "--target", "127.0.0.1:9", "--peer", "not-an-id"]).InvokeAsync();

        Assert.Equal(2, exitCode);
    }

    private static Command Create(Func<ProxySettings, ProxyRunner.ConnectionHandler> handler) =>
        ProxyDirectionCommand.Create(
            "sideways",
            "a test direction",
            new Option<string>("--target") { Required = true },
            new Option<string[]>("--peer"),
            new Option<string[]>("--peer-trust-domain"),
            handler);
}

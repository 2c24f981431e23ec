using Tessera.Agent.Internal;

namespace Tessera.Agent.Tests.Internal;

public sealed class LogSanitizerTests
{
    [Fact]
    public void Clean_PeerText_ControlCharactersReplacedAndLengthBounded()
    {
        Assert.Equal("entry refused?forged: line", LogSanitizer.Clean("entry refused\nforged: line"));
        Assert.Equal(LogSanitizer.MaxLength + 3, LogSanitizer.Clean(new string('x', 5000)).Length);
        Assert.Equal(string.Empty, LogSanitizer.Clean(null));
    }
}

namespace Tessera.Cli.Tests;

/// <summary>The client side of <see cref="LoopbackEchoServer"/>: one round trip, or a check that the connection was closed.</summary>
internal static class EchoClient
{
    /// <summary>Writes <paramref name="text"/> and returns what comes back, each step bounded by <paramref name="timeout"/>.</summary>
    public static async Task<string> RoundTripAsync(Stream stream, string text, TimeSpan timeout)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        await stream.WriteAsync(bytes).AsTask().WaitAsync(timeout);
        var buffer = new byte[bytes.Length];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read)).AsTask().WaitAsync(timeout);
            if (n == 0)
            {
                throw new IOException("the connection closed before the echo came back");
            }

            read += n;
        }

        return System.Text.Encoding.ASCII.GetString(buffer);
    }

    /// <summary>True when the peer has closed (end of stream or a reset) within <paramref name="timeout"/>.</summary>
    public static async Task<bool> IsClosedAsync(Stream stream, TimeSpan timeout)
    {
        try
        {
            return await stream.ReadAsync(new byte[16]).AsTask().WaitAsync(timeout) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }
}

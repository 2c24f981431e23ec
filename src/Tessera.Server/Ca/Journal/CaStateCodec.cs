using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Server.Ca.Journal;

/// <summary>
/// Encodes <see cref="CaState"/> as the journal blob: JSON <c>{"version": 1, "state": {...}}</c>. A blob of an
/// unknown version is refused rather than guessed at, so a downgrade cannot silently drop keys.
/// </summary>
internal static class CaStateCodec
{
    /// <summary>The version this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Returns the blob for <paramref name="state"/>.</summary>
    public static byte[] Encode(CaState state) =>
        JsonSerializer.SerializeToUtf8Bytes(new Envelope(CurrentVersion, state), Options);

    /// <summary>Decodes a blob written by <see cref="Encode"/>.</summary>
    /// <exception cref="InvalidDataException">The blob is malformed or of another version.</exception>
    public static CaState Decode(ReadOnlySpan<byte> blob)
    {
        Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope>(blob, Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"the CA journal is malformed: {ex.Message}", ex);
        }

        if (envelope is null || envelope.Version != CurrentVersion || envelope.State is null)
        {
            throw new InvalidDataException($"the CA journal has version {envelope?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}; this server reads version {CurrentVersion} only");
        }

        return envelope.State;
    }

    private sealed record Envelope(int Version, CaState? State);
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Tessera.Agent.Cache;
using Tessera.Agent.NodeClient;
using Tessera.Contracts.Node.V1;

namespace Tessera.Agent.Jwt;

/// <summary>
/// <see cref="IJwtSvidMinter"/> over the node API's <c>SignJwtSvid</c>. Tokens are cached per (entry id and
/// revision, sorted audience set) and minted again once half of their lifetime has passed, so a workload that asks
/// every second costs the server one signature per half-TTL. Certificate-bound tokens are cached per certificate
/// too. A cached token the server has since revoked is never handed out again. Tokens are never logged.
/// </summary>
internal sealed partial class JwtSvidMinter(NodeConnection connection, IdentityCache cache, TimeProvider time, ILogger<JwtSvidMinter> logger) : IJwtSvidMinter
{
    private const int MaxCachedTokens = 10_000;
    private readonly ConcurrentDictionary<string, CachedToken> _tokens = new(StringComparer.Ordinal);

    public async Task<string> MintAsync(AgentEntry entry, IReadOnlyList<string> audience, byte[]? bindTo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(audience);
        var sorted = audience.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

        // A bound token is cached per certificate: after a rotation the next request mints one for the new SVID.
        var binding = bindTo is null ? "-" : Convert.ToHexString(SHA256.HashData(bindTo));
        var key = $"{entry.Id}\n{entry.Revision}\n{binding}\n{string.Join('\n', sorted)}";
        var now = time.GetUtcNow();
        if (_tokens.TryGetValue(key, out var cached) && now < cached.RefreshAt
            && cache.Current.Revoked.CheckJwt(entry.SpiffeId, cached.JwtId, cached.IssuedAt) is null)
        {
            return cached.Token;
        }

        var request = new SignJwtSvidRequest { EntryId = entry.Id, BindX509Svid = bindTo is null ? ByteString.Empty : ByteString.CopyFrom(bindTo) };
        request.Audience.AddRange(sorted);
        string token;
        try
        {
            var response = await connection.Client.SignJwtSvidAsync(request, NodeConnection.Deadline(connection.Settings.CallTimeout, cancellationToken)).ConfigureAwait(false);
            token = response.Token;
        }
        catch (RpcException ex)
        {
            var reason = connection.Describe(ex);
            Log.MintFailed(logger, entry.Id, reason);
            throw new JwtSvidMintException($"could not mint a JWT-SVID: {reason}", ex.StatusCode is StatusCode.PermissionDenied or StatusCode.InvalidArgument or StatusCode.NotFound);
        }

        if (TryReadLifetime(token, out var issuedAt, out var expiresAt, out var jwtId))
        {
            if (_tokens.Count >= MaxCachedTokens)
            {
                _tokens.Clear(); // a crude bound: a flood of distinct audiences must not grow memory without limit
            }

            _tokens[key] = new CachedToken(token, issuedAt + ((expiresAt - issuedAt) / 2), jwtId, issuedAt);
        }

        return token;
    }

    /// <summary>Reads <c>iat</c> (or now) and <c>exp</c> from the payload without verifying: the token is our server's, just minted.</summary>
    private bool TryReadLifetime(string token, out DateTimeOffset issuedAt, out DateTimeOffset expiresAt, out string? jwtId)
    {
        issuedAt = time.GetUtcNow();
        expiresAt = default;
        jwtId = null;
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        try
        {
            var payload = Convert.FromBase64String(Pad(parts[1].Replace('-', '+').Replace('_', '/')));
            using var document = JsonDocument.Parse(payload);
            if (!document.RootElement.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expSeconds))
            {
                return false;
            }

            expiresAt = DateTimeOffset.FromUnixTimeSeconds(expSeconds);
            if (document.RootElement.TryGetProperty("jti", out var jti) && jti.ValueKind == JsonValueKind.String)
            {
                jwtId = jti.GetString();
            }

            if (document.RootElement.TryGetProperty("iat", out var iat) && iat.TryGetInt64(out var iatSeconds))
            {
                issuedAt = DateTimeOffset.FromUnixTimeSeconds(iatSeconds);
            }

            return expiresAt > issuedAt;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return false;
        }
    }

    private static string Pad(string base64) => (base64.Length % 4) switch
    {
        2 => base64 + "==",
        3 => base64 + "=",
        _ => base64,
    };

    private sealed record CachedToken(string Token, DateTimeOffset RefreshAt, string? JwtId, DateTimeOffset IssuedAt);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1500, Level = LogLevel.Warning, Message = "JWT-SVID for entry {EntryId} failed: {Reason}")]
        public static partial void MintFailed(ILogger logger, string entryId, string reason);
    }
}

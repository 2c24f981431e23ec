using System.Net;
using System.Net.Http.Headers;

namespace Tessera.Cli.Drill;

/// <summary>
/// The SDK's JWT-SVID bearer scheme (<c>AddSpiffeJwt</c> with the agent's deny list) in the drill's Kestrel
/// application: 200 accepts the canary token, 401 refuses it (the reason is the <c>WWW-Authenticate</c> description).
/// </summary>
internal sealed class SdkJwtPoint(Uri endpoint, HttpClient http) : IEnforcementPoint
{
    private string? _token;

    public string Name => "SDK AddSpiffeJwt";

    public bool Covers(IDrillRevocation kind) => kind.Credential == CredentialKind.Jwt;

    public Task ArmAsync(CanaryCredentials credentials, CancellationToken cancellationToken)
    {
        _token = credentials.Jwt;
        return Task.CompletedTask;
    }

    public async Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token ?? throw new InvalidOperationException("not armed"));
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.StatusCode switch
        {
            HttpStatusCode.OK => ProbeResult.Accept("200"),
            HttpStatusCode.Unauthorized => ProbeResult.Refuse($"401 {response.Headers.WwwAuthenticate}"),
            var other => throw new HttpRequestException($"unexpected answer {(int)other} from the SDK endpoint"),
        };
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

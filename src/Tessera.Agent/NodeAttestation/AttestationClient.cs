using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Tessera.Agent.NodeClient;
using Tessera.Contracts.Node.V1;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Agent.NodeAttestation;

/// <summary>
/// The agent's side of <c>Attest</c> and <c>RenewAgent</c>: a fresh P-256 key and CSR per call, the exchange with
/// a deadline, and the result checked (an SVID in our trust domain, a bundle that verifies the server) before it is
/// used. Failures are results; nothing here throws for what a server or network can do.
/// </summary>
internal sealed class AttestationClient(NodeConnection connection, AgentIdentity identity, TrustDomain trustDomain, TimeProvider time)
{
    public async Task<AttestationOutcome> AttestAsync(INodeAttestorClient attestor, bool insecureBootstrap, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attestor);
        using var key = await Task.Run(AgentCsr.NewKey, cancellationToken).ConfigureAwait(false);
        var csr = AgentCsr.Create(key);
        var seen = new List<X509Certificate2>();
        var bootstrap = insecureBootstrap && identity.Bundle is null;
        using var bootstrapChannel = bootstrap ? connection.CreateInsecureBootstrapChannel(seen) : null;
        var client = bootstrapChannel is null ? connection.Client : new Node.NodeClient(bootstrapChannel);
        AttestResult? result = null;
        try
        {
            using var call = client.Attest(NodeConnection.Deadline(connection.Settings.AttestTimeout, cancellationToken));
            await call.RequestStream.WriteAsync(new AttestRequest
            {
                Params = new AttestParams { Type = attestor.Type, Payload = ByteString.CopyFrom(attestor.Payload), Csr = ByteString.CopyFrom(csr) },
            }, cancellationToken).ConfigureAwait(false);
            while (result is null && await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                var response = call.ResponseStream.Current;
                if (response.StepCase == AttestResponse.StepOneofCase.Result)
                {
                    result = response.Result;
                }
                else if (response.StepCase == AttestResponse.StepOneofCase.Challenge)
                {
                    var answer = attestor.AnswerChallenge(response.Challenge.Nonce.Span);
                    if (answer is null)
                    {
                        return AttestationOutcome.Failure($"the server sent a challenge, which {attestor.Type} attestation cannot answer", refused: true);
                    }

                    await call.RequestStream.WriteAsync(new AttestRequest { ChallengeResponse = ByteString.CopyFrom(answer) }, cancellationToken).ConfigureAwait(false);
                }
            }

            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            return AttestationOutcome.Failure($"attestation failed: {connection.Describe(ex)}", Refusal(ex));
        }

        return result is null
            ? AttestationOutcome.Failure("attestation failed: the server ended the exchange without a result", refused: false)
            : Accept(result, key, seen);
    }

    public async Task<AttestationOutcome> RenewAsync(CancellationToken cancellationToken)
    {
        using var key = await Task.Run(AgentCsr.NewKey, cancellationToken).ConfigureAwait(false);
        var csr = AgentCsr.Create(key);
        try
        {
            var response = await connection.Client.RenewAgentAsync(new RenewAgentRequest { Csr = ByteString.CopyFrom(csr) }, NodeConnection.Deadline(connection.Settings.CallTimeout, cancellationToken)).ConfigureAwait(false);
            return ParseSvid(response.SvidChain, key) is { } svid
                ? new AttestationOutcome { Svid = svid }
                : AttestationOutcome.Failure($"renewal failed: the server returned an SVID that is not a valid X509-SVID in {trustDomain}", refused: false);
        }
        catch (RpcException ex)
        {
            return AttestationOutcome.Failure($"renewal failed: {connection.Describe(ex)}", Refusal(ex));
        }
    }

    private static bool Refusal(RpcException ex) => ex.StatusCode is StatusCode.PermissionDenied or StatusCode.InvalidArgument or StatusCode.Unauthenticated;

    private AttestationOutcome Accept(AttestResult result, ECDsa key, List<X509Certificate2> seen)
    {
        var svid = ParseSvid(result.SvidChain, key);
        if (svid is null)
        {
            return AttestationOutcome.Failure($"attestation failed: the server returned an agent SVID that is not a valid X509-SVID in {trustDomain}", refused: false);
        }

        SpiffeBundle? bundle = null;
        if (result.BundleJson.Length > 0)
        {
            try
            {
                bundle = SpiffeBundle.Parse(trustDomain, result.BundleJson);
            }
            catch (FormatException ex)
            {
                return AttestationOutcome.Failure($"attestation failed: the server's bundle is malformed: {ex.Message}", refused: false);
            }
        }

        if (seen.Count > 0)
        {
            // insecure_bootstrap: the certificate we accepted blindly must at least be the one the returned bundle
            // vouches for, with the server's SPIFFE ID; otherwise something between us and the server answered.
            if (bundle is null)
            {
                return AttestationOutcome.Failure("insecure bootstrap failed: the server returned no bundle to pin", refused: false);
            }

            var check = X509SvidVerifier.Verify(seen, bundle, time);
            var expected = SpiffeId.FromSegments(trustDomain, "tessera", "server");
            if (!check.IsValid || check.Id != expected)
            {
                return AttestationOutcome.Failure($"insecure bootstrap failed: the server's certificate is not vouched for by the bundle it returned ({(check.IsValid ? $"its ID is {check.Id}" : check.Message)})", refused: false);
            }
        }

        return new AttestationOutcome { Svid = svid, Bundle = bundle };
    }

    private AgentSvid? ParseSvid(IEnumerable<ByteString> chain, ECDsa key)
    {
        try
        {
            var svid = AgentSvid.Parse([.. chain.SelectMany(c => c.ToByteArray())], key.ExportPkcs8PrivateKey());
            return svid.Id.MemberOf(trustDomain) ? svid : null;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return null;
        }
    }
}

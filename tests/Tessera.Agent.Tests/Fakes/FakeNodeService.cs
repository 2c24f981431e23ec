using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Tessera.Contracts.Node.V1;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Agent.Tests.Fakes;

/// <summary>
/// A small but honest node API for agent tests: single-use join tokens, x509pop with a fresh nonce and a real
/// signature check, CSRs really signed by a CA, agents recognised from their mTLS client certificate, Sync
/// streams that push changes as tests make them, and switches to evict an agent or take the server "down".
/// </summary>
internal sealed class FakeNodeService(FakeNodeServer server) : Node.NodeBase
{
    public override async Task Attest(IAsyncStreamReader<AttestRequest> requestStream, IServerStreamWriter<AttestResponse> responseStream, ServerCallContext context)
    {
        server.ThrowIfDown();
        Interlocked.Increment(ref server.AttestCalls);
        if (!await requestStream.MoveNext(context.CancellationToken) || requestStream.Current.StepCase != AttestRequest.StepOneofCase.Params)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "first message must be params"));
        }

        var parameters = requestStream.Current.Params;
        SpiffeId agentId;
        if (parameters.Type == "join_token")
        {
            var token = parameters.Payload.ToStringUtf8();
            if (!server.JoinTokens.TryRemove(token, out _))
            {
                throw new RpcException(new Status(StatusCode.PermissionDenied, "join token is unknown or already used"));
            }

            agentId = SpiffeId.FromSegments(server.TrustDomain, "tessera", "agent", "join_token", token);
        }
        else if (parameters.Type == "x509pop")
        {
            agentId = await X509PopAsync(parameters.Payload.ToByteArray(), requestStream, responseStream, context);
        }
        else
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "unknown attestation type"));
        }

        server.Evicted.TryRemove(agentId.ToString(), out _);
        var chain = server.Sign(agentId, parameters.Csr.ToByteArray(), server.AgentSvidTtl, agentSvid: true);
        var result = new AttestResult { SpiffeId = agentId.ToString(), BundleJson = server.BundleJson };
        result.SvidChain.Add(chain);
        await responseStream.WriteAsync(new AttestResponse { Result = result });
    }

    public override Task<RenewAgentResponse> RenewAgent(RenewAgentRequest request, ServerCallContext context)
    {
        var agent = server.Authorize(context);
        Interlocked.Increment(ref server.RenewCalls);
        var response = new RenewAgentResponse();
        response.SvidChain.Add(server.Sign(agent, request.Csr.ToByteArray(), server.AgentSvidTtl, agentSvid: true));
        return Task.FromResult(response);
    }

    public override async Task Sync(SyncRequest request, IServerStreamWriter<SyncResponse> responseStream, ServerCallContext context)
    {
        var agent = server.Authorize(context);
        var (first, subscription) = server.Subscribe(agent);
        try
        {
            await responseStream.WriteAsync(first);
            await foreach (var message in subscription.Reader.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(message);
            }
        }
        catch (ChannelClosedException ex) when (ex.InnerException is RpcException rpc)
        {
            throw rpc;
        }
        finally
        {
            server.Unsubscribe(subscription);
        }
    }

    public override async Task<SignX509SvidsResponse> SignX509Svids(SignX509SvidsRequest request, ServerCallContext context)
    {
        server.Authorize(context);
        server.BatchSizes.Enqueue(request.Requests.Count);
        using var call = server.SignCalls.Enter();
        if (server.HoldSigning is { } hold)
        {
            await hold.Task.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        }

        var response = new SignX509SvidsResponse();
        foreach (var item in request.Requests)
        {
            if (server.RefusedEntries.ContainsKey(item.EntryId) || !server.Entries.TryGetValue(item.EntryId, out var entry))
            {
                response.Results.Add(new SvidResult { EntryId = item.EntryId, Error = "entry not authorised for this agent\nforged line" });
                continue;
            }

            var result = new SvidResult { EntryId = item.EntryId };
            result.SvidChain.Add(server.Sign(SpiffeId.Parse(entry.SpiffeId), item.Csr.ToByteArray(), TimeSpan.FromSeconds(entry.X509SvidTtlSeconds)));
            response.Results.Add(result);
        }

        return response;
    }

    public override Task<SignJwtSvidResponse> SignJwtSvid(SignJwtSvidRequest request, ServerCallContext context)
    {
        server.Authorize(context);
        Interlocked.Increment(ref server.JwtCalls);
        server.LastJwtBinding = request.BindX509Svid.IsEmpty ? null : request.BindX509Svid.ToByteArray();
        if (!server.Entries.TryGetValue(request.EntryId, out var entry))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "entry not authorised"));
        }

        var now = server.Clock.GetUtcNow().ToUnixTimeSeconds();
        var header = Base64Url($"{{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"{server.JwtKid}\"}}");
        var payload = Base64Url($"{{\"sub\":\"{entry.SpiffeId}\",\"aud\":[{string.Join(',', request.Audience.Select(a => $"\"{a}\""))}],\"iat\":{now},\"exp\":{now + entry.JwtSvidTtlSeconds},\"n\":{server.JwtCalls}}}");
        return Task.FromResult(new SignJwtSvidResponse { Token = $"{header}.{payload}.c2ln" });
    }

    public override Task<ReportEventsResponse> ReportEvents(ReportEventsRequest request, ServerCallContext context)
    {
        server.Authorize(context);
        server.EventBatches.Enqueue([.. request.Events]);
        return Task.FromResult(new ReportEventsResponse());
    }

    private static string Base64Url(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task<SpiffeId> X509PopAsync(byte[] payload, IAsyncStreamReader<AttestRequest> requestStream, IServerStreamWriter<AttestResponse> responseStream, ServerCallContext context)
    {
        var chain = CertificateChain.Parse(payload);
        var leaf = chain[0];
        if (server.NodeCa is null || !leaf.Issuer.Equals(server.NodeCa.SubjectName.Name, StringComparison.Ordinal))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "node certificate is not from a trusted CA"));
        }

        var nonce = RandomNumberGenerator.GetBytes(32);
        await responseStream.WriteAsync(new AttestResponse { Challenge = new X509PopChallenge { Nonce = ByteString.CopyFrom(nonce) } });
        if (!await requestStream.MoveNext(context.CancellationToken) || requestStream.Current.StepCase != AttestRequest.StepOneofCase.ChallengeResponse)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "expected a challenge response"));
        }

        byte[] signed = [.. "tessera-x509pop-v1"u8, 0, .. nonce];
        var signature = requestStream.Current.ChallengeResponse.ToByteArray();
        using var ec = leaf.GetECDsaPublicKey();
        using var rsa = leaf.GetRSAPublicKey();
        var valid = ec?.VerifyData(signed, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
            ?? rsa?.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            ?? false;
        if (!valid)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "x509pop signature does not verify"));
        }

        Interlocked.Increment(ref server.X509PopVerified);
        return SpiffeId.FromSegments(server.TrustDomain, "tessera", "agent", "x509pop", leaf.Thumbprint.ToLowerInvariant());
    }
}

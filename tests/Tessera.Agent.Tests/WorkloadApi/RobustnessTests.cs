using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Grpc.Core;
using Tessera.Contracts.Workload;

namespace Tessera.Agent.Tests.WorkloadApi;

public sealed class RobustnessTests : IAsyncLifetime
{
    private WorkloadApiHost _host = null!;

    public async Task InitializeAsync() => _host = await WorkloadApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FetchX509SVID_InvalidProtobufBytes_GrpcErrorAndServiceStaysUp()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(_host.SocketPath), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { Timeout = WorkloadApiHost.Timeout };

        // One gRPC frame (uncompressed, length 6) whose payload claims field 1 with a length varint that never ends.
        byte[] frame = [0, 0, 0, 0, 6, 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://localhost/SpiffeWorkloadAPI/FetchX509SVID")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.ParseAdd("trailers");
        request.Headers.Add("workload.spiffe.io", "true");

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var trailer) ? trailer.Single()
            : response.Headers.GetValues("grpc-status").Single();
        Assert.NotEqual("0", status);

        using var call = _host.Client().FetchX509SVID(new X509SVIDRequest(), WorkloadApiHost.Options());
        Assert.Single((await call.ResponseStream.NextAsync()).Svids);
    }

    [Fact]
    public async Task FetchX509SVID_ThousandConcurrentStreams_AllServed()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        var clients = Enumerable.Range(0, 10).Select(_ => _host.Client()).ToArray();
        // One deadline covers both rounds of all 1,000 calls: 2 minutes, not the host's per-call 15 s, on a loaded CI box.
        var limit = TimeSpan.FromMinutes(2);
        var options = new CallOptions(headers: WorkloadApiHost.Header, deadline: DateTime.UtcNow + limit);
        var calls = Enumerable.Range(0, 1000).Select(i => clients[i % clients.Length].FetchX509SVID(new X509SVIDRequest(), options)).ToArray();
        try
        {
            var first = await Task.WhenAll(calls.Select(c => c.ResponseStream.NextAsync(limit))).WaitAsync(limit);
            Assert.All(first, r => Assert.Equal("spiffe://example.org/web", Assert.Single(r.Svids).SpiffeId));

            // And every one of them gets the rotation.
            var rotated = _host.Issue(_host.Cache.Current.Entries["e1"]);
            _host.Cache.Update(s => s with { Svids = s.Svids.SetItem("e1", rotated) });
            var second = await Task.WhenAll(calls.Select(c => c.ResponseStream.NextAsync(limit))).WaitAsync(limit);
            Assert.All(second, r => Assert.Equal(rotated.ChainDer, r.Svids[0].X509Svid.ToByteArray()));
        }
        finally
        {
            foreach (var call in calls)
            {
                call.Dispose();
            }
        }
    }

    [Fact]
    public async Task ListenWorkloadApi_SocketIsWorldConnectableInA0755Directory()
    {
        await Task.Yield();
        var mode = File.GetUnixFileMode(_host.SocketPath);
        Assert.True(mode.HasFlag(UnixFileMode.OtherWrite) && mode.HasFlag(UnixFileMode.OtherRead), $"socket mode is {mode}");
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
            File.GetUnixFileMode(Path.GetDirectoryName(_host.SocketPath)!));
    }
}

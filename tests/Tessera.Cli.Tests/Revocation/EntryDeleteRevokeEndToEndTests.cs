using System.Text.Json;

namespace Tessera.Cli.Tests.Revocation;

/// <summary>
/// <c>tessera entry delete --revoke --reason R</c> with a real server and agent: the entry is gone, and the X509-SVID
/// already handed to the workload is on the revocation list (so the CRL and every deny list refuse it), as is every
/// JWT-SVID of the identity issued so far.
/// </summary>
public sealed class EntryDeleteRevokeEndToEndTests : IDisposable
{
    private const string LeavingId = "spiffe://example.org/e2e/leaving";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task EntryDelete_WithRevoke_TheIssuedSvidIsRevokedAndTheEntryGone()
    {
        await using var domain = await LocalTrustDomain.StartAsync(_dir.Path);
        await domain.CreateEntryAsync(LeavingId);
        await domain.WaitForSvidsAsync(LeavingId);
        var serial = SvidOutput.Serial((await TesseraProcess.RunAsync("agent", "api", "fetch", "x509", "--socket", domain.Socket, "--timeout", "10s")).EnsureSuccess("fetch x509").StdOut);
        var entryId = JsonDocument.Parse((await domain.AdminAsync("entry", "show", "--spiffe-id", LeavingId, "--output", "json")).EnsureSuccess("entry show").StdOut)
            .RootElement[0].GetProperty("id").GetString()!;

        var deleted = (await domain.AdminAsync("entry", "delete", "--entry-id", entryId, "--revoke", "--reason", "INC-9: decommissioned host")).EnsureSuccess("entry delete --revoke");

        Assert.Contains($"deleted entry {entryId}", deleted.StdOut, StringComparison.Ordinal);
        Assert.Contains($"X509-SVID serial {serial} ({LeavingId}): revoked ", deleted.StdOut, StringComparison.Ordinal);
        Assert.Contains($"JWT-SVIDs of {LeavingId} issued before ", deleted.StdOut, StringComparison.Ordinal);
        var listed = (await domain.AdminAsync("revoke", "list")).EnsureSuccess("revoke list").StdOut;
        Assert.Contains($"X509-SVID serial {serial}", listed, StringComparison.Ordinal);
        Assert.Contains("reason: INC-9: decommissioned host", listed, StringComparison.Ordinal);
        Assert.Equal("[]", (await domain.AdminAsync("entry", "show", "--spiffe-id", LeavingId, "--output", "json")).EnsureSuccess("entry show").StdOut.Trim());
        Assert.Equal(0, (await domain.AdminAsync("audit", "verify")).ExitCode);
    }

    [Theory]
    [InlineData(new[] { "--revoke" }, "--reason is required: say why the credential is revoked (it is kept with the revocation and in the audit log)")]
    [InlineData(new[] { "--reason", "why" }, "--reason is only taken with --revoke (a plain delete revokes nothing)")]
    public async Task EntryDelete_ReasonWithoutRevokeOrTheOtherWay_ExitsTwoBeforeContactingTheServer(string[] flags, string error)
    {
        var result = await TesseraProcess.RunAsync(["entry", "delete", "--entry-id", "e1", .. flags, "--socket", _dir.File("absent.sock")]);

        Assert.Equal((2, error), (result.ExitCode, result.StdErr.Trim()));
    }
}

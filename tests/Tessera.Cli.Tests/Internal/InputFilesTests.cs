using System.Globalization;
using Tessera.Cli.Internal;

namespace Tessera.Cli.Tests.Internal;

public sealed class InputFilesTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly StringWriter _error = new();

    public void Dispose()
    {
        _error.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void TryReadText_ExistingFile_TextAndNoError()
    {
        File.WriteAllText(_dir.File("a.txt"), "hello");

        Assert.True(InputFiles.TryReadText(new FileInfo(_dir.File("a.txt")), "--in", _error, out var text));

        Assert.Equal("hello", text);
        Assert.Empty(_error.ToString());
    }

    [Fact]
    public void TryReadBytes_ExistingFile_BytesAndNoError()
    {
        File.WriteAllBytes(_dir.File("a.bin"), [1, 2, 3]);

        Assert.True(InputFiles.TryReadBytes(new FileInfo(_dir.File("a.bin")), "--in", _error, out var bytes));

        Assert.Equal([1, 2, 3], bytes);
        Assert.Empty(_error.ToString());
    }

    [Fact]
    public void TryReadBytes_MissingFile_CannotReadLine()
    {
        var file = new FileInfo(_dir.File("missing.bin"));

        Assert.False(InputFiles.TryReadBytes(file, "--path", _error, out var bytes));

        Assert.Null(bytes);
        Assert.Equal($"--path: cannot read {file.FullName}: Could not find file '{file.FullName}'." + Environment.NewLine, _error.ToString());
    }

    [Fact]
    public void TryReadText_Directory_CannotReadLine()
    {
        var file = new FileInfo(_dir.Path);

        Assert.False(InputFiles.TryReadText(file, "--context", _error, out _));

        Assert.StartsWith($"--context: cannot read {file.FullName}: ", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseText_Parses_Value()
    {
        File.WriteAllText(_dir.File("n.txt"), "42");

        Assert.True(InputFiles.TryParseText(new FileInfo(_dir.File("n.txt")), "--n", ParseNumber, _error, out var value));

        Assert.Equal("42", value);
        Assert.Empty(_error.ToString());
    }

    [Fact]
    public void TryParseText_FormatException_OptionFileNameAndMessage()
    {
        File.WriteAllText(_dir.File("n.txt"), "forty-two");

        Assert.False(InputFiles.TryParseText(new FileInfo(_dir.File("n.txt")), "--n", ParseNumber, _error, out var value));

        Assert.Null(value);
        Assert.Equal("--n: n.txt: 'forty-two' is not a number" + Environment.NewLine, _error.ToString());
    }

    [Fact]
    public void TryParseBytes_MissingFile_ParserNotCalled()
    {
        var file = new FileInfo(_dir.File("missing.bin"));

        Assert.False(InputFiles.TryParseBytes<string>(file, "--bundle", _ => throw new InvalidOperationException("parsed"), _error, out _));

        Assert.StartsWith($"--bundle: cannot read {file.FullName}: ", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadCertificates_Pem_Chain()
    {
        using var ca = TestCa.CreateRoot();
        File.WriteAllText(_dir.File("ca.pem"), ca.Certificate.ExportCertificatePem());

        Assert.True(InputFiles.TryReadCertificates(new FileInfo(_dir.File("ca.pem")), "--svid", _error, out var certificates));

        Assert.Equal(ca.Certificate.Thumbprint, Assert.Single(certificates).Thumbprint);
        Assert.Empty(_error.ToString());
    }

    [Fact]
    public void TryReadCertificates_NotPem_OneLineNamingOptionAndFile()
    {
        File.WriteAllText(_dir.File("svid.pem"), "not a certificate");

        Assert.False(InputFiles.TryReadCertificates(new FileInfo(_dir.File("svid.pem")), "--svid", _error, out _));

        var line = Assert.Single(_error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("--svid: svid.pem: ", line, StringComparison.Ordinal);
    }

    private static string ParseNumber(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? text : throw new FormatException($"'{text}' is not a number");
}

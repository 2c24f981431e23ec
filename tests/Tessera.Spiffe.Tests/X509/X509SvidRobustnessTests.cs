using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;
using Xunit.Abstractions;

namespace Tessera.Spiffe.Tests.X509;

/// <summary>
/// Random and mutated input (fixed seeds, so a failure reproduces): parsing throws nothing but
/// <see cref="FormatException"/>, and verification fails closed with a result, never an exception.
/// </summary>
public sealed class X509SvidRobustnessTests : IDisposable
{
    private const int Iterations = 3000;

    private readonly TestCa _root = TestCa.CreateRoot();
    private readonly TestCa _ca;
    private readonly TestCa.Svid _svid;

    private readonly ITestOutputHelper _output;

    public X509SvidRobustnessTests(ITestOutputHelper output)
    {
        _output = output;
        _ca = _root.CreateIntermediate();
        _svid = _ca.IssueSvid();
    }

    [Fact]
    public void ParseRaw_RandomBytes_ThrowsOnlyFormatException()
    {
        var random = new Random(1);
        for (var i = 0; i < Iterations; i++)
        {
            var chain = RandomBytes(random);
            var key = RandomBytes(random);
            AssertOnlyFormatException(() => X509Svid.ParseRaw(chain, key), chain);
            AssertOnlyFormatException(() => X509Svid.Parse(chain, key), chain);
        }
    }

    [Fact]
    public void ParseRaw_RandomBytesAfterValidDerHeader_ThrowsOnlyFormatException()
    {
        // A plausible SEQUENCE header gets random bytes past the first check of the DER reader.
        var random = new Random(2);
        for (var i = 0; i < Iterations; i++)
        {
            var body = RandomBytes(random);
            byte[] chain = [0x30, 0x82, (byte)(body.Length >> 8), (byte)body.Length, .. body];
            AssertOnlyFormatException(() => X509Svid.ParseRaw(chain, _svid.KeyPkcs8), chain);
        }
    }

    [Fact]
    public void ParseAndVerify_MutatedValidChain_FailClosed()
    {
        var random = new Random(3);
        var original = _svid.ChainDer;
        var bundle = new X509Bundle(TrustDomain.Parse("example.org"), [_root.Certificate]);
        var at = DateTimeOffset.UtcNow;
        var loaded = 0;
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < Iterations; i++)
        {
            var mutated = Mutate(original, random);
            if (mutated.AsSpan().SequenceEqual(original))
            {
                // A byte overwritten with its own value, or a bit flipped twice: not a mutation.
                continue;
            }

            AssertOnlyFormatException(() => X509Svid.ParseRaw(mutated, _svid.KeyPkcs8), mutated);

            List<X509Certificate2> chain;
            try
            {
                chain = CertificateDecoder.DecodeCertificates(mutated, "chain");
            }
            catch (FormatException)
            {
                continue;
            }

            loaded++;
            try
            {
                var result = X509SvidVerifier.Verify(chain, bundle, at);
                Assert.False(result.IsValid, $"mutated chain verified: {Convert.ToHexString(mutated)}");
                Assert.NotEqual(X509SvidError.None, result.Error);
                Assert.False(string.IsNullOrEmpty(result.Message));
            }
            finally
            {
                chain.ForEach(c => c.Dispose());
            }
        }

        _output.WriteLine($"{Iterations} mutations, {loaded} loaded as certificates and verified, {stopwatch.ElapsedMilliseconds} ms");
        Assert.True(loaded > 0, "no mutation produced loadable certificates; the verifier path was not exercised");
    }

    [Fact]
    public void Parse_MutatedPemText_ThrowsOnlyFormatException()
    {
        var random = new Random(5);
        var chainPem = System.Text.Encoding.UTF8.GetBytes(_svid.ChainPem);
        var keyPem = System.Text.Encoding.UTF8.GetBytes(_svid.KeyPem);
        for (var i = 0; i < Iterations / 3; i++)
        {
            var chain = Mutate(chainPem, random);
            var key = Mutate(keyPem, random);
            AssertOnlyFormatException(() => X509Svid.Parse(chain, keyPem), chain);
            AssertOnlyFormatException(() => X509Svid.Parse(chainPem, key), key);
        }
    }

    [Fact]
    public void Parse_MutatedPkcs8Key_ThrowsOnlyFormatException()
    {
        var random = new Random(4);
        var chain = _svid.ChainDer;
        for (var i = 0; i < Iterations; i++)
        {
            var key = Mutate(_svid.KeyPkcs8, random);
            AssertOnlyFormatException(() => X509Svid.ParseRaw(chain, key), key);
        }
    }

    public void Dispose()
    {
        _svid.Dispose();
        _ca.Dispose();
        _root.Dispose();
    }

    private static void AssertOnlyFormatException(Func<X509Svid> parse, byte[] input)
    {
        try
        {
            // A mutation that leaves the input meaningful (e.g. a flip in the signature of an intermediate)
            // may still parse: parsing checks structure, not signatures.
            parse().Dispose();
        }
        catch (FormatException)
        {
        }
        catch (Exception ex)
        {
            Assert.Fail($"{ex.GetType().Name}: {ex.Message} for input {Convert.ToHexString(input)}");
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 700)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0:
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    var position = random.Next(bytes.Length * 8);
                    bytes[position / 8] ^= (byte)(1 << (position % 8));
                }

                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length)];
            case 2:
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            default:
                var at = random.Next(bytes.Length);
                return [.. bytes[..at], (byte)random.Next(256), .. bytes[at..]];
        }
    }
}

using System.Text.Json.Nodes;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Tests.Jwt;

namespace Tessera.Spiffe.Tests.Bundles;

/// <summary>The SPIFFE bundle format and its consumer rules (Trust Domain and Bundle §4, X509-SVID §6, JWT-SVID §6).</summary>
public sealed class SpiffeBundleTests
{
    [Fact]
    public void Parse_X509AndJwtEntriesWithMetadata_ReadsEverything()
    {
        var json = new JsonObject
        {
            ["spiffe_sequence"] = 12035488,
            ["spiffe_refresh_hint"] = 2419200,
            ["keys"] = new JsonArray(BundleJson.X509Entry(BundleJson.RsaCa), BundleJson.X509Entry(BundleJson.EcCa), BundleJson.JwtEntry("k1", TestKeys.P256), BundleJson.JwtEntry("rsa", TestKeys.Rsa2048)),
        }.ToJsonString();

        var bundle = BundleJson.Parse(json);

        Assert.Equal(TestKeys.Domain, bundle.TrustDomain);
        Assert.Equal(12035488UL, bundle.Sequence);
        Assert.Equal(TimeSpan.FromDays(28), bundle.RefreshHint);
        Assert.Equal([BundleJson.RsaCa.Thumbprint, BundleJson.EcCa.Thumbprint], bundle.X509Bundle.Authorities.Select(c => c.Thumbprint));
        Assert.Equal(["k1", "rsa"], bundle.JwtBundle.Authorities.Select(a => a.KeyId));
        Assert.Equal(new JwtAuthority("k1", TestKeys.P256), bundle.JwtBundle.Authorities[0]);
    }

    [Fact]
    public void ToJson_ParsedBack_SameContent()
    {
        var original = new SpiffeBundle(
            TestKeys.Domain,
            new X509Bundle(TestKeys.Domain, [BundleJson.EcCa, BundleJson.RsaCa]),
            new JwtBundle(TestKeys.Domain, [new JwtAuthority("a", TestKeys.P256), new JwtAuthority("b", TestKeys.P384), new JwtAuthority("c", TestKeys.P521), new JwtAuthority("d", TestKeys.Rsa2048)]),
            ulong.MaxValue,
            TimeSpan.FromMinutes(5));

        var parsed = BundleJson.Parse(original.ToJson());

        Assert.Equal(original.X509Bundle.Authorities.Select(c => c.Thumbprint), parsed.X509Bundle.Authorities.Select(c => c.Thumbprint));
        Assert.Equal(original.JwtBundle.Authorities, parsed.JwtBundle.Authorities);
        Assert.Equal(ulong.MaxValue, parsed.Sequence);
        Assert.Equal(TimeSpan.FromMinutes(5), parsed.RefreshHint);
        Assert.Equal(original.ToJson(), parsed.ToJson());
    }

    [Fact]
    public void ToJson_JwtOnlyBundle_WritesSpiffeJwkSet()
    {
        var authority = new JwtAuthority("k1", TestKeys.P256);
        var bundle = new SpiffeBundle(TestKeys.Domain, jwtBundle: new JwtBundle(TestKeys.Domain, [authority]), sequence: 7, refreshHint: TimeSpan.FromSeconds(300));

        Assert.Equal($"{{\"keys\":[{authority.ToJwk()}],\"spiffe_refresh_hint\":300,\"spiffe_sequence\":7}}", bundle.ToJson());
        Assert.StartsWith("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"", authority.ToJwk(), StringComparison.Ordinal);
        Assert.EndsWith("\",\"kid\":\"k1\",\"use\":\"jwt-svid\"}", authority.ToJwk(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyKeys_EmptyBundlesNoMetadata()
    {
        var bundle = BundleJson.Parse("{\"keys\":[]}");

        Assert.True(bundle.X509Bundle.IsEmpty);
        Assert.True(bundle.JwtBundle.IsEmpty);
        Assert.Null(bundle.Sequence);
        Assert.Null(bundle.RefreshHint);
    }

    [Theory]
    [InlineData("{}", "SPIFFE bundle has no 'keys' member (required by SPIFFE bundle §4.1.3)")]
    [InlineData("{\"spiffe_sequence\":1}", "SPIFFE bundle has no 'keys' member (required by SPIFFE bundle §4.1.3)")]
    [InlineData("{\"keys\":{}}", "SPIFFE bundle: 'keys' must be an array, not Object")]
    [InlineData("{\"keys\":null}", "SPIFFE bundle: 'keys' must be an array, not Null")]
    [InlineData("[]", "SPIFFE bundle must be a JSON object (a JWK Set), not Array")]
    [InlineData("{\"keys\":[1]}", "SPIFFE bundle: keys[0] must be a JSON object (a JWK), not Number")]
    [InlineData("{\"keys\":[],\"keys\":[]}", "SPIFFE bundle repeats the member name 'keys' in one object")]
    [InlineData("{\"keys\":[{\"use\":\"jwt-svid\",\"kid\":\"a\",\"kid\":\"b\"}]}", "SPIFFE bundle repeats the member name 'kid' in one object")]
    [InlineData("{\"keys\":[],\"spiffe_sequence\":1,\"spiffe_\\u0073equence\":2}", "SPIFFE bundle repeats the member name 'spiffe_sequence' in one object")]
    public void Parse_BadStructure_FormatException(string json, string message) => BundleJson.Rejected(json, message);

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"keys\":[],}")]
    [InlineData("{'keys':[]}")]
    public void Parse_NotJson_FormatException(string json) =>
        Assert.StartsWith("SPIFFE bundle is not valid JSON (", Assert.Throws<FormatException>(() => BundleJson.Parse(json)).Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_InvalidUtf8_FormatException() =>
        Assert.StartsWith("SPIFFE bundle is not valid JSON (", Assert.Throws<FormatException>(() => SpiffeBundle.Parse(TestKeys.Domain, [.. "{\"keys\":[],\"x\":\""u8, 0xC3, 0x28, .. "\"}"u8])).Message, StringComparison.Ordinal);

    public static TheoryData<string> IgnoredUses => ["JWT-SVID", "X509-SVID", "sig", "enc", "x509_svid", "", "(missing)", "(number)"];

    [Theory]
    [MemberData(nameof(IgnoredUses))]
    public void Parse_UnknownOrMissingUse_EntryIgnored(string use)
    {
        var entry = BundleJson.JwtEntry("k1", TestKeys.P256);
        entry["use"] = use switch { "(missing)" => null, "(number)" => 1, _ => use };
        if (use == "(missing)")
        {
            entry.Remove("use");
        }

        var bundle = BundleJson.Parse(BundleJson.Set(entry, BundleJson.JwtEntry("k2", TestKeys.P384)));

        Assert.Equal(["k2"], bundle.JwtBundle.Authorities.Select(a => a.KeyId));
    }

    [Theory]
    [InlineData("OKP")]
    [InlineData("oct")]
    [InlineData("ec")]
    [InlineData("(missing)")]
    public void Parse_UnknownOrMissingKeyType_EntryIgnoredEvenIfMalformed(string kty)
    {
        // Unknown key types are ignored as a whole (§4.2.1), so their other members are not even read.
        var entry = new JsonObject { ["use"] = "jwt-svid", ["x"] = "not base64!", ["crv"] = "Ed25519" };
        if (kty != "(missing)")
        {
            entry["kty"] = kty;
        }

        var x509 = new JsonObject { ["use"] = "x509-svid", ["x5c"] = new JsonArray("!!!") };
        if (kty != "(missing)")
        {
            x509["kty"] = kty;
        }

        var bundle = BundleJson.Parse(BundleJson.Set(entry, x509));

        Assert.True(bundle.JwtBundle.IsEmpty);
        Assert.True(bundle.X509Bundle.IsEmpty);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Parse_X509EntryWithoutOrWithEmptyX5c_Ignored(bool empty)
    {
        var entry = BundleJson.X509Entry(BundleJson.EcCa);
        if (empty)
        {
            entry["x5c"] = new JsonArray();
        }
        else
        {
            entry.Remove("x5c");
        }

        Assert.True(BundleJson.Parse(BundleJson.Set(entry)).X509Bundle.IsEmpty);
    }

    [Fact]
    public void Parse_X5cWithSeveralValues_OnlyFirstUsedOthersNotRead()
    {
        var entry = BundleJson.X509Entry(BundleJson.EcCa);
        entry["x5c"]!.AsArray().Add("not a certificate");
        entry["x5c"]!.AsArray().Add(42);

        var bundle = BundleJson.Parse(BundleJson.Set(entry));

        Assert.Equal(BundleJson.EcCa.Thumbprint, Assert.Single(bundle.X509Bundle.Authorities).Thumbprint);
    }

    [Fact]
    public void Parse_X509EntryWithoutKeyMembers_Accepted()
    {
        var entry = new JsonObject { ["kty"] = "EC", ["use"] = "x509-svid", ["x5c"] = new JsonArray(Convert.ToBase64String(BundleJson.EcCa.RawData)) };

        Assert.Single(BundleJson.Parse(BundleJson.Set(entry)).X509Bundle.Authorities);
    }

    [Fact]
    public void Parse_X509EntryKeyDiffersFromCertificate_FormatException()
    {
        var entry = BundleJson.X509Entry(BundleJson.EcCa);
        var other = BundleJson.JwtEntry("x", System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256));
        entry["x"] = other["x"]!.DeepClone();
        entry["y"] = other["y"]!.DeepClone();

        BundleJson.Rejected(BundleJson.Set(entry), "SPIFFE bundle: keys[0]: the JWK public key does not match the public key of the x5c[0] certificate");
    }

    [Fact]
    public void Parse_X509EntryKeyTypeDiffersFromCertificate_FormatException()
    {
        var entry = BundleJson.X509Entry(BundleJson.RsaCa);
        var ec = BundleJson.X509Entry(BundleJson.EcCa);
        entry["x5c"] = ec["x5c"]!.DeepClone();

        BundleJson.Rejected(BundleJson.Set(entry), "SPIFFE bundle: keys[0]: the x5c[0] certificate does not hold an RSA key, as the entry's kty says");
    }

    [Fact]
    public void Parse_X509CertificateWithCorruptKey_FormatException()
    {
        // Flip a byte inside the EC point of the certificate's SubjectPublicKeyInfo; the certificate still loads.
        var der = BundleJson.EcCa.RawData;
        var spki = BundleJson.EcCa.PublicKey.ExportSubjectPublicKeyInfo();
        var at = der.AsSpan().IndexOf(spki) + spki.Length - 40;
        der[at] ^= 0xff;
        var entry = new JsonObject { ["kty"] = "EC", ["use"] = "x509-svid", ["x5c"] = new JsonArray(Convert.ToBase64String(der)) };

        var message = Assert.Throws<FormatException>(() => BundleJson.Parse(BundleJson.Set(entry))).Message;

        Assert.Equal("SPIFFE bundle: keys[0]: the x5c[0] certificate's public key is malformed", message);
    }

    [Theory]
    [InlineData("\"x5c\":\"MIIB\"", "SPIFFE bundle: keys[0]: 'x5c' must be an array of base64 certificates, not String")]
    [InlineData("\"x5c\":[\"%%%\"]", "SPIFFE bundle: keys[0]: x5c[0] is not a base64 (RFC 7517 §4.7) DER certificate")]
    [InlineData("\"x5c\":[7]", "SPIFFE bundle: keys[0]: x5c[0] is not a base64 (RFC 7517 §4.7) DER certificate")]
    [InlineData("\"x5c\":[\"\"]", "SPIFFE bundle: keys[0]: x5c[0] is not a base64 (RFC 7517 §4.7) DER certificate")]
    [InlineData("\"x5c\":[\"AQIDBA==\"]", "SPIFFE bundle: keys[0]: x5c[0] is not a valid DER certificate")]
    public void Parse_BadX5c_FormatException(string member, string message) =>
        BundleJson.Rejected($"{{\"keys\":[{{\"kty\":\"EC\",\"use\":\"x509-svid\",{member}}}]}}", message);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(5)]
    public void Parse_JwtEntryWithoutKeyId_FormatException(object? kid)
    {
        var entry = BundleJson.JwtEntry("k1", TestKeys.P256);
        entry["kid"] = JsonValue.Create(kid);
        if (kid is null)
        {
            entry.Remove("kid");
        }

        BundleJson.Rejected(BundleJson.Set(entry), "SPIFFE bundle: keys[0]: a jwt-svid key must have a non-empty string 'kid' (JWT-SVID §6.1)");
    }

    [Fact]
    public void Parse_DuplicateKeyId_FormatException() =>
        BundleJson.Rejected(BundleJson.Set(BundleJson.JwtEntry("k1", TestKeys.P256), BundleJson.JwtEntry("k1", TestKeys.P384)), "SPIFFE bundle: keys[1]: the kid 'k1' appears in more than one jwt-svid entry");

    [Theory]
    [InlineData("crv", "\"P-192\"", "EC curve 'P-192' is not supported; expected P-256, P-384 or P-521")]
    [InlineData("crv", "\"secp256k1\"", "EC curve 'secp256k1' is not supported; expected P-256, P-384 or P-521")]
    [InlineData("crv", null, "member 'crv' is missing")]
    [InlineData("x", null, "member 'x' is missing")]
    [InlineData("y", "5", "member 'y' must be a string, not Number")]
    [InlineData("x", "\"AAAA\"", "EC member 'x' is 3 bytes; P-256 needs exactly 32")]
    [InlineData("x", "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"", "member 'x' is not unpadded base64url")]
    [InlineData("x", "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"", "the EC point (x, y) is not on curve P-256")]
    public void Parse_BadEcMember_FormatException(string member, string? value, string message)
    {
        var entry = BundleJson.JwtEntry("k1", TestKeys.P256);
        if (value is null)
        {
            entry.Remove(member);
        }
        else
        {
            entry[member] = JsonNode.Parse(value);
        }

        BundleJson.Rejected(BundleJson.Set(entry), "SPIFFE bundle: keys[0]: " + message);
    }

    [Theory]
    [InlineData("n", null, "member 'n' is missing")]
    [InlineData("e", "\"AA\"", "RSA member 'e' is zero")]
    [InlineData("e", "\"AQAB AQAB\"", "member 'e' is not unpadded base64url")]
    [InlineData("e", "\"AQIDBAUGBwgJ\"", "RSA exponent 'e' is 9 bytes; at most 8 are supported")]
    public void Parse_BadRsaMember_FormatException(string member, string? value, string message)
    {
        var entry = BundleJson.JwtEntry("rsa", TestKeys.Rsa2048);
        if (value is null)
        {
            entry.Remove(member);
        }
        else
        {
            entry[member] = JsonNode.Parse(value);
        }

        BundleJson.Rejected(BundleJson.Set(entry), "SPIFFE bundle: keys[0]: " + message);
    }

    [Fact]
    public void Parse_RsaModulusWithLeadingZero_AcceptedAsSameKey()
    {
        var entry = BundleJson.JwtEntry("rsa", TestKeys.Rsa2048);
        var n = Convert.FromBase64String(((string)entry["n"]!).Replace('-', '+').Replace('_', '/') + "==");
        entry["n"] = Convert.ToBase64String([0, .. n]).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal(new JwtAuthority("rsa", TestKeys.Rsa2048), Assert.Single(BundleJson.Parse(BundleJson.Set(entry)).JwtBundle.Authorities));
    }

    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    public void Parse_Sequence_Read(string value, ulong expected) =>
        Assert.Equal(expected, BundleJson.Parse($"{{\"keys\":[],\"spiffe_sequence\":{value}}}").Sequence);

    [Theory]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("\"1\"")]
    [InlineData("null")]
    [InlineData("18446744073709551616")]
    public void Parse_BadSequence_FormatException(string value) =>
        BundleJson.Rejected($"{{\"keys\":[],\"spiffe_sequence\":{value}}}", "SPIFFE bundle: 'spiffe_sequence' must be an integer from 0 to 18446744073709551615 (§4.1.1)");

    [Theory]
    [InlineData("-1")]
    [InlineData("0.5")]
    [InlineData("\"300\"")]
    [InlineData("922337203686")]
    public void Parse_BadRefreshHint_FormatException(string value) =>
        BundleJson.Rejected($"{{\"keys\":[],\"spiffe_refresh_hint\":{value}}}", "SPIFFE bundle: 'spiffe_refresh_hint' must be a whole number of seconds from 0 to 922337203685 (§4.1.2)");

    [Fact]
    public void Parse_UnknownTopLevelMembers_Ignored() =>
        Assert.Equal(3UL, BundleJson.Parse("{\"keys\":[],\"spiffe_sequence\":3,\"x-vendor\":{\"a\":[1,2]}}").Sequence);

    [Fact]
    public void Constructor_PartForOtherTrustDomain_Throws()
    {
        var other = TrustDomain.Parse("other.org");

        Assert.Throws<ArgumentException>(() => new SpiffeBundle(TestKeys.Domain, jwtBundle: new JwtBundle(other, [])));
        Assert.Throws<ArgumentException>(() => new SpiffeBundle(TestKeys.Domain, new X509Bundle(other, [])));
        Assert.Throws<ArgumentException>(() => new SpiffeBundle(TestKeys.Domain, refreshHint: TimeSpan.FromMilliseconds(1500)));
    }

    [Fact]
    public void Sources_OtherTrustDomain_NotFound()
    {
        var bundle = BundleJson.Parse("{\"keys\":[]}");

        Assert.True(bundle.TryGetJwtBundle(TestKeys.Domain, out _));
        Assert.True(bundle.TryGetX509Bundle(TestKeys.Domain, out _));
        Assert.False(bundle.TryGetJwtBundle(TrustDomain.Parse("other.org"), out _));
        Assert.False(bundle.TryGetX509Bundle(TrustDomain.Parse("other.org"), out _));
    }
}

using System.Diagnostics.CodeAnalysis;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;

namespace Tessera.Cli.Internal;

/// <summary>
/// A bundle read from a file — PEM certificates or a SPIFFE bundle (JSON) — that answers for one trust
/// domain: the one given with <c>--trust-domain</c>, or, when none was given, whichever trust domain the
/// credential being checked claims (the operator is saying "this file is that trust domain's bundle").
/// </summary>
internal sealed class BundleFile : IX509BundleSource, IJwtBundleSource
{
    // A SPIFFE bundle document does not name its trust domain; it is parsed under a placeholder and
    // relabelled for the trust domain asked about.
    private static readonly TrustDomain Placeholder = TrustDomain.Parse("bundle-file.invalid");

    private readonly SpiffeBundle _bundle;
    private readonly TrustDomain? _trustDomain;

    private BundleFile(SpiffeBundle bundle, TrustDomain? trustDomain)
    {
        _bundle = bundle;
        _trustDomain = trustDomain;
    }

    public string Format { get; private init; } = "PEM";

    public static bool TryRead(FileInfo file, string option, TrustDomain? trustDomain, [NotNullWhen(true)] out BundleFile? bundleFile) =>
        InputFiles.TryParseBytes(file, option, bytes => Parse(bytes, trustDomain), Console.Error, out bundleFile);

    private static BundleFile Parse(byte[] bytes, TrustDomain? trustDomain)
    {
        var isJson = bytes.AsSpan().TrimStart(" \t\r\n"u8).StartsWith("{"u8);
        var bundle = isJson
            ? SpiffeBundle.Parse(Placeholder, bytes)
            : new SpiffeBundle(Placeholder, X509Bundle.Parse(Placeholder, bytes));
        return new BundleFile(bundle, trustDomain) { Format = isJson ? "SPIFFE bundle" : "PEM" };
    }

    public bool TryGetX509Bundle(TrustDomain trustDomain, [NotNullWhen(true)] out X509Bundle? bundle)
    {
        bundle = Answers(trustDomain) ? new X509Bundle(trustDomain, _bundle.X509Bundle.Authorities) : null;
        return bundle is not null;
    }

    public bool TryGetJwtBundle(TrustDomain trustDomain, [NotNullWhen(true)] out JwtBundle? bundle)
    {
        bundle = Answers(trustDomain) ? new JwtBundle(trustDomain, _bundle.JwtBundle.Authorities) : null;
        return bundle is not null;
    }

    private bool Answers(TrustDomain trustDomain) => _trustDomain is null || _trustDomain == trustDomain;
}

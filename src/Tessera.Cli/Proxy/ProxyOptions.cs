using System.CommandLine;
using Tessera.Cli.Agents;
using Tessera.Hosting.Configuration;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Tls;

namespace Tessera.Cli.Proxy;

/// <summary>The flags both proxy directions share, and their validation (every problem is collected, then reported).</summary>
internal sealed class ProxyOptions
{
    public WorkloadApiConnection Connection { get; } = new();

    public Option<string> Listen { get; } = new("--listen") { Description = "the address to listen on, e.g. 127.0.0.1:8443", Required = true };

    public Option<string> SpiffeId { get; } = new("--spiffe-id") { Description = "the identity to present when the process holds several (default: the first the agent sends)" };

    public Option<string> ConnectTimeout { get; } = new("--connect-timeout") { Description = "limit on connecting to the target", DefaultValueFactory = _ => "10s" };

    public Option<string> HandshakeTimeout { get; } = new("--handshake-timeout") { Description = "limit on a TLS handshake", DefaultValueFactory = _ => "10s" };

    public void AddTo(Command command)
    {
        command.Options.Add(Listen);
        command.Options.Add(SpiffeId);
        command.Options.Add(ConnectTimeout);
        command.Options.Add(HandshakeTimeout);
        Connection.AddTo(command);
    }

    /// <summary>Reads the shared flags plus the target and authorizer; null (with problems printed) when any is wrong.</summary>
    public ProxySettings? Resolve(ParseResult result, string direction, string targetFlag, string? targetText, Func<List<string>, PeerAuthorizer?> authorizer)
    {
        var problems = new List<string>();
        var listen = Endpoint("--listen", result.GetValue(Listen), problems);
        if (listen is not null && !listen.TryGetAddress(out _))
        {
            problems.Add($"--listen: '{listen.Host}' is not an IP address (listen on 127.0.0.1 for a sidecar)");
        }

        var target = Endpoint(targetFlag, targetText, problems);
        var peer = authorizer(problems);
        var connect = Duration("--connect-timeout", result.GetValue(ConnectTimeout), problems);
        var handshake = Duration("--handshake-timeout", result.GetValue(HandshakeTimeout), problems);
        SpiffeId? id = null;
        if (result.GetValue(SpiffeId) is { } idText)
        {
            if (Tessera.Spiffe.Ids.SpiffeId.TryParse(idText, out var parsed))
            {
                id = parsed;
            }
            else
            {
                problems.Add($"--spiffe-id: '{idText}' is not a SPIFFE ID (spiffe://trust-domain/path)");
            }
        }

        if (problems.Count > 0 || listen is null || target is null || peer is null)
        {
            foreach (var problem in problems)
            {
                Console.Error.WriteLine(problem);
            }

            return null;
        }

        if (!Connection.TryResolve(result, out var socket, out var timeout))
        {
            return null;
        }

        return new ProxySettings
        {
            Direction = direction,
            Listen = listen,
            Target = target,
            Authorizer = peer,
            SpiffeId = id,
            SocketPath = socket,
            WorkloadApiTimeout = timeout,
            ConnectTimeout = connect,
            HandshakeTimeout = handshake,
        };
    }

    /// <summary>Parses repeated SPIFFE ID and trust-domain flags into one authorizer; null with problems when unusable.</summary>
    public static PeerAuthorizer? Authorizer(string idFlag, string[]? ids, string domainFlag, string[]? domains, List<string> problems)
    {
        var parsedIds = new HashSet<SpiffeId>();
        foreach (var text in ids ?? [])
        {
            if (Tessera.Spiffe.Ids.SpiffeId.TryParse(text, out var id))
            {
                parsedIds.Add(id);
            }
            else
            {
                problems.Add($"{idFlag}: '{text}' is not a SPIFFE ID (spiffe://trust-domain/path)");
            }
        }

        var parsedDomains = new HashSet<TrustDomain>();
        foreach (var text in domains ?? [])
        {
            if (TrustDomain.TryParse(text, out var domain))
            {
                parsedDomains.Add(domain);
            }
            else
            {
                problems.Add($"{domainFlag}: '{text}' is not a trust domain name (e.g. example.org)");
            }
        }

        if (parsedIds.Count == 0 && parsedDomains.Count == 0)
        {
            if ((ids?.Length ?? 0) + (domains?.Length ?? 0) == 0)
            {
                problems.Add($"give {idFlag} SPIFFE-ID or {domainFlag} TD (repeatable): with neither, no peer could be accepted");
            }

            return null;
        }

        if (parsedDomains.Count == 0)
        {
            return parsedIds.Count == 1 ? PeerAuthorizer.Id(parsedIds.First()) : PeerAuthorizer.OneOf(parsedIds);
        }

        if (parsedIds.Count == 0 && parsedDomains.Count == 1)
        {
            return PeerAuthorizer.MemberOf(parsedDomains.First());
        }

        var description = string.Join(", ", parsedIds.Select(i => i.ToString()).Concat(parsedDomains.Select(d => "any member of " + d.Id)).Order(StringComparer.Ordinal));
        return PeerAuthorizer.Predicate(peer => parsedIds.Contains(peer) || parsedDomains.Contains(peer.TrustDomain), "one of " + description);
    }

    private static ProxyEndpoint? Endpoint(string flag, string? text, List<string> problems)
    {
        if (text is null)
        {
            problems.Add($"{flag} is required");
            return null;
        }

        if (!ProxyEndpoint.TryParse(text, out var endpoint, out var error))
        {
            problems.Add($"{flag}: {error}");
            return null;
        }

        return endpoint;
    }

    private static TimeSpan Duration(string flag, string? text, List<string> problems)
    {
        if (!DurationParser.TryParse(text, out var value, out var error))
        {
            problems.Add($"{flag}: {error}");
        }

        return value;
    }
}

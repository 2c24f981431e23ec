using System.Text.Json;
using Tessera.Policy.Entities;

namespace Tessera.Policy.Tests.Conformance;

/// <summary>One request of a scenario with the reference implementation's expected answer.</summary>
internal sealed record CorpusRequest(
    string Description,
    EntityUid Principal,
    EntityUid Action,
    EntityUid Resource,
    JsonElement Context,
    string Decision,
    IReadOnlySet<string> Reasons,
    IReadOnlySet<string> Errors);

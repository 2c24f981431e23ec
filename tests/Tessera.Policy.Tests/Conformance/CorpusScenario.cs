namespace Tessera.Policy.Tests.Conformance;

/// <summary>One scenario file of the cedar-integration-tests format.</summary>
internal sealed record CorpusScenario(string Name, string PoliciesPath, string EntitiesPath, string? SchemaPath, bool ShouldValidate, IReadOnlyList<CorpusRequest> Requests);

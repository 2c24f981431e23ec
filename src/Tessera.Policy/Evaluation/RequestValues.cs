using Tessera.Policy.Values;

namespace Tessera.Policy.Evaluation;

/// <summary>The request variables as Cedar values.</summary>
internal sealed record RequestValues(EntityValue Principal, EntityValue Action, EntityValue Resource, RecordValue Context);

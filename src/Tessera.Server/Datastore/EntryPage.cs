namespace Tessera.Server.Datastore;

/// <summary>One page of entries; <see cref="NextPageToken"/> is null on the last page.</summary>
internal sealed record EntryPage(IReadOnlyList<RegistrationEntry> Entries, string? NextPageToken);

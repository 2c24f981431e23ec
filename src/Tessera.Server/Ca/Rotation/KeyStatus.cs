namespace Tessera.Server.Ca.Rotation;

/// <summary>Where a CA key is in its rotation life: prepared → active → old → removed.</summary>
internal enum KeyStatus
{
    /// <summary>Published in the bundle but not signing yet, so relying parties learn it before it is used.</summary>
    Prepared = 0,

    /// <summary>Published and signing; exactly one per kind.</summary>
    Active,

    /// <summary>Published but no longer signing; kept until everything it signed has expired.</summary>
    Old,
}

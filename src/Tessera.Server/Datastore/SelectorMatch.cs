namespace Tessera.Server.Datastore;

/// <summary>How a selector filter compares the given selectors with an entry's (SPIRE's match modes).</summary>
internal enum SelectorMatch
{
    /// <summary>The entry's selector set equals the given set.</summary>
    Exact,

    /// <summary>The entry's selectors are all among the given ones.</summary>
    Subset,

    /// <summary>The entry has every given selector, and possibly more.</summary>
    Superset,

    /// <summary>The entry has at least one of the given selectors.</summary>
    Any,
}

namespace Tessera.Server.Datastore.Internal;

/// <summary>Turns an <see cref="EntryFilter"/> into a WHERE clause over <c>entries e</c>; values become parameters.</summary>
internal static class EntryFilterSql
{
    public static List<string> Clauses(EntryFilter filter, List<(string Name, object? Value)> parameters)
    {
        var clauses = new List<string>();
        if (filter.SpiffeId is { } spiffeId)
        {
            clauses.Add("e.spiffe_id = @f_spiffe_id");
            parameters.Add(("@f_spiffe_id", spiffeId.ToString()));
        }

        if (filter.ParentId is { } parentId)
        {
            clauses.Add("e.parent_id = @f_parent_id");
            parameters.Add(("@f_parent_id", parentId.ToString()));
        }

        if (filter.Owner is { } owner)
        {
            clauses.Add("e.owner = @f_owner");
            parameters.Add(("@f_owner", owner));
        }

        if (filter.Selectors is { } selectors)
        {
            clauses.Add(SelectorClause(SelectorSet.Canonical(selectors), filter.SelectorMatch, parameters));
        }

        return clauses;
    }

    private static string SelectorClause(List<string> canonical, SelectorMatch match, List<(string Name, object? Value)> parameters)
    {
        if (match == SelectorMatch.Exact)
        {
            parameters.Add(("@f_selector_hash", SelectorSet.Hash(canonical)));
            return "e.selector_hash = @f_selector_hash";
        }

        const string Mine = "SELECT 1 FROM entry_selectors s WHERE s.entry_id = e.id";
        if (canonical.Count == 0)
        {
            // "IN ()" is not valid SQL: spell out what each mode means for an empty set.
            return match switch
            {
                SelectorMatch.Subset => $"NOT EXISTS ({Mine})",
                SelectorMatch.Superset => "1 = 1",
                _ => "1 = 0",
            };
        }

        var names = new List<string>(canonical.Count);
        for (var i = 0; i < canonical.Count; i++)
        {
            names.Add($"@f_sel{i}");
            parameters.Add(($"@f_sel{i}", canonical[i]));
        }

        // Every mode starts from the selector index (entry_selectors.selector) to find candidate entries, so
        // the cost follows the number of entries carrying the selectors asked about, not the table size
        // (measured: 100k entries, see bench `entries`).
        var list = string.Join(", ", names);
        const string Matching = "SELECT s.entry_id FROM entry_selectors s WHERE s.selector IN ";
        switch (match)
        {
            case SelectorMatch.Subset:
                // Every selector of the entry is listed: among entries carrying at least one listed selector, those
                // whose listed count equals their total count. (Registration requires at least one selector.)
                return $"e.id IN ({Matching}({list}) GROUP BY s.entry_id "
                    + "HAVING COUNT(*) = (SELECT COUNT(*) FROM entry_selectors t WHERE t.entry_id = s.entry_id))";
            case SelectorMatch.Superset:
                parameters.Add(("@f_sel_count", (long)canonical.Count));
                return $"e.id IN ({Matching}({list}) GROUP BY s.entry_id HAVING COUNT(*) = @f_sel_count)";
            case SelectorMatch.Any:
                return $"e.id IN ({Matching}({list}))";
            default:
                throw new ArgumentOutOfRangeException(nameof(match), match, "unknown selector match mode");
        }
    }
}

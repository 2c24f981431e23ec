using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Entries;

/// <summary>Parses the <c>type:value</c> form operators write selectors in (the value may itself contain ':').</summary>
internal static class SelectorText
{
    public static void AddAll(IEnumerable<string> texts, ICollection<Selector> selectors, List<string> problems)
    {
        foreach (var text in texts)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == text.Length - 1)
            {
                problems.Add($"--selector: '{text}' is not type:value (e.g. unix:uid:1001)");
                continue;
            }

            selectors.Add(new Selector { Type = text[..colon], Value = text[(colon + 1)..] });
        }
    }
}

namespace Tessera.Tests.TestSupport;

/// <summary>Locates the repository root (the folder holding Tessera.slnx) and the shared/ folder beside it.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Interop(params string[] parts) => Path.Combine([Root, "interop", .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tessera.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Tessera.slnx above {AppContext.BaseDirectory}");
    }
}

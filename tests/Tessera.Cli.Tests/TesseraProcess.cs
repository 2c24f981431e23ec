namespace Tessera.Cli.Tests;

/// <summary>Runs the built <c>tessera</c> CLI as a real child process.</summary>
internal static class TesseraProcess
{
    public static Task<ExternalTool.Result> RunAsync(params string[] arguments) =>
        ExternalTool.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "tessera.dll"), .. arguments]);
}

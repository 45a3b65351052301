using Orchest.Testing;

namespace Orchest.Cli.Tests.Support;

/// <summary>Runs the <c>orchest</c> command line in this process, as a user would type it, capturing stdout and stderr.</summary>
internal static class OrchestCli
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        // Step output is streamed from several threads; the CLI's own writes are serialised, these make sure.
        var exitCode = await OrchestCommandLine.InvokeAsync(args, TextWriter.Synchronized(output), TextWriter.Synchronized(error));
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary><c>orchest run &lt;project&gt; --json</c> plus <paramref name="more"/>.</summary>
    public static Task<CliResult> RunJsonAsync(TempProject project, params string[] more) =>
        RunAsync(["run", project.Root, "--json", .. more]);
}

using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using Orchest.Cli.Tests.Support;
using Orchest.Testing;

namespace Orchest.Cli.Tests;

/// <summary>
/// Output for people: colours only on a terminal and never with NO_COLOR, no terminal escapes in
/// logs, each error line once, and a summary naming each failed step, its exit code and its log.
/// </summary>
public sealed partial class OutputTests : IDisposable
{
    private readonly TempProject _project = new("output");

    [Theory]
    [InlineData(true, null, "xterm-256color", true)]
    [InlineData(true, "", "xterm", true)]
    [InlineData(true, "1", "xterm", false)]
    [InlineData(true, null, "dumb", false)]
    [InlineData(false, null, "xterm", false)]
    public void Allowed_TerminalNoColorAndTerm_ColoursOnlyOnATerminalWithoutNoColor(bool terminal, string? noColor, string term, bool expected) =>
        Assert.Equal(expected, ConsoleColours.Allowed(terminal, noColor, term));

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task Run_OutputNotATerminal_HasNoEscapesAndTheTracebackOnce()
    {
        var pipeline = WriteColourfulFailingPipeline();

        using var cli = OrchestProcess.Start(["run", _project.Root], workingDirectory: null);
        Assert.Equal(1, await cli.WaitForExitAsync(TimeSpan.FromMinutes(2)));

        var output = cli.Output;
        Assert.DoesNotContain('\u001b', output + cli.Error);
        Assert.Contains("[Colour] red text", output.Split('\n'));
        // IPython's last traceback line and nbclient's "ename: evalue" were the same line twice.
        Assert.Single(output.Split('\n'), l => l.Contains("ValueError: cell exploded", StringComparison.Ordinal));
        var log = LogPath(pipeline, "Broken");
        Assert.EndsWith($"Step \"Broken\" failed with exit code 1. Its log: {log}\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Last lines", output, StringComparison.Ordinal);

        var logs = Directory.GetFiles(Path.GetDirectoryName(log)!, "*.log");
        Assert.Equal(2, logs.Length);
        Assert.All(logs, l => Assert.DoesNotContain('\u001b', File.ReadAllText(l)));
        Assert.Single(File.ReadAllLines(log), l => l == "ValueError: cell exploded");
        // The executed notebook is as readable as the log beside it (the runner used to leave it 0600).
        var notebook = Path.ChangeExtension(log, ".ipynb");
        Assert.Equal(File.GetUnixFileMode(log), File.GetUnixFileMode(notebook));
        Assert.True(File.GetUnixFileMode(notebook).HasFlag(UnixFileMode.OtherRead));
    }

    [CommandsFact("script")]
    public async Task Run_OnATerminal_ColoursUnlessNoColorIsSet()
    {
        _project.WritePipeline(new PipelineBuilder().Step("Hello", "hello.sh", "echo hello\n"));

        var coloured = await RunOnTerminalAsync(noColor: null);
        var plain = await RunOnTerminalAsync(noColor: "1");

        Assert.Matches(Sgr(), coloured);
        Assert.Contains("hello", coloured, StringComparison.Ordinal);
        // .NET itself sets keypad mode on a terminal (ESC [?1h ESC =); NO_COLOR is about colours.
        Assert.DoesNotMatch(Sgr(), plain);
        Assert.Contains("SUCCESS  Hello", plain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Quiet_SummaryPrintsTheFailedStepsMessageAndLastLines()
    {
        var pipeline = new PipelineBuilder().Step("Fail", "fail.sh", "for i in $(seq 1 30); do echo \"line $i\"; done\nexit 3\n");
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunAsync("run", _project.Root, "--quiet");

        Assert.Equal(1, result.ExitCode);
        var lines = result.OutputLines;
        var summary = lines.ToList().IndexOf($"Step \"Fail\" failed with exit code 3. Its log: {LogPath(pipeline, "Fail")}");
        Assert.True(summary > 0, result.ToString());
        Assert.Equal(["Last lines of its log:", .. Enumerable.Range(11, 20).Select(i => $"  line {i}")], lines.Skip(summary + 1));
    }

    [Fact]
    public async Task Run_RunnerRefusesAStep_PrintsTheReasonOnce()
    {
        var pipeline = new PipelineBuilder().Step("Train", "train.py", "print('never')\n");
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunAsync("run", _project.Root, "--python", "/nonexistent/bin/python3");

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.OutputLines, l => l.Contains("was not found", StringComparison.Ordinal));
        Assert.Contains(result.OutputLines, l => l.StartsWith("FAILURE  Train (", StringComparison.Ordinal) && l.EndsWith(": exit code 127, reason above)", StringComparison.Ordinal));
        Assert.Equal($"Step \"Train\" failed with exit code 127. Its log: {LogPath(pipeline, "Train")}", result.OutputLines[^1]);
    }

    public void Dispose() => _project.Dispose();

    private PipelineBuilder WriteColourfulFailingPipeline()
    {
        var notebook = new NotebookBuilder()
            .Code("print('before the failure')")
            .Code("def explode():\n    raise ValueError('cell exploded')\nexplode()");
        _project.Write("broken.ipynb", notebook.ToJson());
        var pipeline = new PipelineBuilder()
            .Step("Colour", "colour.sh", "printf '\\033[31mred\\033[0m text\\n'\n")
            .Step("Broken", "broken.ipynb", parents: ["Colour"]);
        _project.WritePipeline(pipeline);
        return pipeline;
    }

    private string LogPath(PipelineBuilder pipeline, string title) =>
        Path.Combine(_project.OrchestDirectory, "pipelines", pipeline.Uuid, "logs", pipeline.StepUuid(title) + ".log");

    /// <summary>Runs the CLI under script(1), which gives it a pseudo-terminal as stdout; returns what it printed.</summary>
    private async Task<string> RunOnTerminalAsync(string? noColor)
    {
        var start = new ProcessStartInfo("script", ["-qec", $"'{OrchestProcess.BinaryPath}' run '{_project.Root}'", "/dev/null"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.Environment["TERM"] = "xterm-256color";
        start.Environment.Remove("NO_COLOR");
        if (noColor is not null)
        {
            start.Environment["NO_COLOR"] = noColor;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{await output}\n{await error}");
        return await output;
    }

    /// <summary>Select Graphic Rendition: the escape sequences that set colours and styles.</summary>
    [GeneratedRegex(@"\u001b\[[0-9;]*m")]
    private static partial Regex Sgr();
}

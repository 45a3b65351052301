using System.Text.Json.Nodes;
using Orchest.Cli.Tests.Support;
using Orchest.Testing;

namespace Orchest.Cli.Tests;

/// <summary>
/// SIGTERM and SIGINT (Ctrl-C) sent to the real <c>orchest</c> process: the run ends ABORTED, exit 1,
/// and no step process (nor anything a step started) outlives the CLI.
/// </summary>
public sealed class CancellationTests : IDisposable
{
    private readonly TempProject _project = new("cancel");
    private readonly string _marker = $"orchest-cli-test-{Guid.NewGuid():n}";

    [Fact]
    public async Task Run_Sigterm_AbortsTheRunAndLeavesNoStepProcess()
    {
        var pipeline = WriteLongPipeline(childIgnoresTerm: false);

        await CancelAndAssertAsync(pipeline, "TERM", "SIGTERM");
    }

    [Fact]
    public async Task Run_SigintWithAChildIgnoringTerm_KillsItAfterTheGracePeriod()
    {
        var pipeline = WriteLongPipeline(childIgnoresTerm: true);

        await CancelAndAssertAsync(pipeline, "INT", "SIGINT");
    }

    [Fact]
    public async Task Run_SigtermDuringAStubbornNotebookCell_LeavesNoKernelAndNoProcessTheCellStarted()
    {
        // Jupyter starts kernels in a session of their own, outside the step's process group; the
        // cell ignores interrupts and starts a child that ignores SIGINT.
        var notebook = new NotebookBuilder()
            .Code($"""
                import os, subprocess, time
                child = subprocess.Popen(['/usr/bin/python3', '-c', 'import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(300)', '{_marker}-cell-child'])
                open('kernel.pid', 'w').write(str(os.getpid()))
                print('cell running', flush=True)
                while True:
                    try:
                        time.sleep(300)
                    except KeyboardInterrupt:
                        print('ignoring the interrupt', flush=True)
                """)
            .Code("print('never')");
        _project.Write("long.ipynb", notebook.ToJson());
        _project.WritePipeline(new PipelineBuilder().Step("Notebook", "long.ipynb"));

        // The kernel is found by a variable every process of the step inherits: in a sandbox, the pid
        // it sees for itself is not its pid on the host.
        var variable = $"CANCEL_TEST={Guid.NewGuid():n}";
        using var cli = OrchestProcess.Start("run", _project.Root, "--json", "--env", variable);
        var kernelPidFile = Path.Combine(_project.Root, "kernel.pid");
        await Wait.UntilAsync(() => File.Exists(kernelPidFile) && ProcessTable.FindByMarker(_marker).Count == 1, TimeSpan.FromSeconds(60), $"the notebook cell\n{cli}");
        var kernel = Assert.Single(ProcessTable.FindByEnvironment(variable), IsKernel);

        await cli.SignalAsync("TERM");
        var exitCode = await cli.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 1, $"exit {exitCode}\n{cli}");
        Assert.Equal("ABORTED", (string)JsonNode.Parse(cli.Output)!["status"]!);
        Assert.False(IsKernel(kernel), $"kernel {kernel} outlived the CLI");
        Assert.Empty(ProcessTable.FindByMarker(_marker));
    }

    /// <summary>Quick -> Long (a bash step whose python child sleeps, carrying the marker) -> After.</summary>
    private PipelineBuilder WriteLongPipeline(bool childIgnoresTerm)
    {
        var ignore = childIgnoresTerm ? "signal.signal(signal.SIGTERM, signal.SIG_IGN); " : "";
        var child = $"/usr/bin/python3 -c 'import signal, time; {ignore}open(\"child.running\", \"w\").close(); time.sleep(300)' {_marker}-child";
        var pipeline = new PipelineBuilder()
            .Shell("Quick")
            .Step("Long", $"long-{_marker}.sh", $"echo 'long started'\n{child} &\nwait\necho 'long finished'\n", ["Quick"])
            .Shell("After", "Long");
        _project.WritePipeline(pipeline);
        return pipeline;
    }

    private async Task CancelAndAssertAsync(PipelineBuilder pipeline, string signal, string signalName)
    {
        using var cli = OrchestProcess.Start("run", _project.Root, "--json");
        await Wait.UntilAsync(() => File.Exists(Path.Combine(_project.Root, "child.running")), TimeSpan.FromSeconds(30), $"the step's child process\n{cli}");
        Assert.Single(ProcessTable.FindByMarker($"{_marker}-child"));

        await cli.SignalAsync(signal);
        var exitCode = await cli.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 1, $"exit {exitCode}\n{cli}");
        Assert.Empty(ProcessTable.FindByMarker(_marker));
        Assert.Contains($"Received {signalName}: stopping the run (steps get TERM, then KILL).", cli.Error, StringComparison.Ordinal);
        var runs = Directory.GetDirectories(Path.Combine(_project.OrchestDirectory, "runs"));
        var record = JsonNode.Parse(File.ReadAllText(Path.Combine(Assert.Single(runs), "run.json")))!;
        Assert.True(JsonNode.DeepEquals(record, JsonNode.Parse(cli.Output)), cli.ToString());
        Assert.Equal("ABORTED", (string)record["status"]!);
        Assert.NotNull(record["finished"]);
        var steps = record["steps"]!.AsArray().ToDictionary(s => (string)s!["title"]!, s => s!.AsObject());
        Assert.Equal("SUCCESS", (string)steps["Quick"]["status"]!);
        Assert.Equal("ABORTED", (string)steps["Long"]["status"]!);
        Assert.Equal("ABORTED", (string)steps["After"]["status"]!);
        Assert.Equal($"cancelled by {signalName}", (string)steps["Long"]["message"]!);
        Assert.All(steps.Values, s => Assert.NotNull(s["finished"]));
        Assert.True((DateTimeOffset)steps["Long"]["finished"]! >= (DateTimeOffset)steps["Long"]["started"]!);
        var log = File.ReadAllText(Path.Combine(_project.OrchestDirectory, "pipelines", pipeline.Uuid, "logs", pipeline.StepUuid("Long") + ".log"));
        Assert.Contains("long started", log, StringComparison.Ordinal);
        Assert.DoesNotContain("long finished", log, StringComparison.Ordinal);
    }

    /// <summary>True while <paramref name="pid"/> is a live (not zombie) ipykernel process.</summary>
    private static bool IsKernel(int pid)
    {
        try
        {
            var state = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("State:", StringComparison.Ordinal));
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("ipykernel", StringComparison.Ordinal) && !state.Contains('Z', StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        // A failing test must not leave its sleepers behind.
        foreach (var pid in ProcessTable.FindByMarker(_marker))
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }

        _project.Dispose();
    }
}

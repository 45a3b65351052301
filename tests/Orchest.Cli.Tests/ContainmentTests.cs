using System.Diagnostics;
using System.Text.Json.Nodes;
using Orchest.Cli.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Cli.Tests;

/// <summary>
/// Issue 10 end to end: <c>orchest run</c> always ends, within the grace period (3 s) plus a few
/// seconds of what ended it, with a right run record, and no process of the run is left.
/// </summary>
public sealed class ContainmentTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(10);
    private readonly TempProject _project = new("containment");

    [Fact]
    public async Task Run_JuliaFailsWhileTheRKernelStarts_AbortsRAndPythonPromptlyAndLeavesNoKernel()
    {
        // The real project's shape: Julia, R and Python notebooks side by side. Julia is not installed
        // here, so its (fake) kernel dies once the R kernel is starting and the Python cell runs: the
        // order that hung `orchest run` for 16 minutes. The fake R kernel starts a child in a session
        // of its own, ignores TERM and never becomes ready (IRkernel still starting).
        var r = HostileSteps.Write(_project, HostileStep.KernelStarting, exits: false);
        var pythonFlag = $"python-{r.Marker}";
        _project.Write("hostile/jupyter/kernels/julia-1.7/kernel.json", $$$"""
            {"argv": ["/usr/bin/python3", "{resource_dir}/dies.py", "{{{r.StartedFlag}}}", "{{{pythonFlag}}}", "{connection_file}"],
             "language": "julia", "display_name": "Julia 1.7 (fake)"}
            """);
        _project.Write("hostile/jupyter/kernels/julia-1.7/dies.py", """
            import os, sys, time
            flags = [os.path.join(os.environ["ORCHEST_PROJECT_DIR"], f) for f in sys.argv[1:3]]
            deadline = time.time() + 60
            while not all(os.path.exists(f) for f in flags) and time.time() < deadline:
                time.sleep(0.05)
            sys.exit(1)
            """);
        _project.Write("julia.ipynb", Notebook("julia", "julia-1.7", "println(1)"));
        _project.Write("python.ipynb", new NotebookBuilder().Code($$"""
            import os, subprocess, time
            subprocess.Popen(['/usr/bin/python3', '-c', 'import time; time.sleep(300)', '{{r.Marker}}-python-child'])
            open(os.path.join(os.environ['ORCHEST_PROJECT_DIR'], '{{pythonFlag}}'), 'w').close()
            time.sleep(300)
            """).ToJson());
        _project.WritePipeline(new PipelineBuilder()
            .Step("Julia", "julia.ipynb")
            .Step("R", r.StepFile)
            .Step("Python", "python.ipynb"));

        var run = await RunAsync(r, ["--env", $"JUPYTER_PATH={_project.Root}/hostile/jupyter"], trigger: null);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("FAILURE", (string)run.Record["status"]!);
        Assert.Equal(new Dictionary<string, string> { ["Julia"] = "FAILURE", ["R"] = "ABORTED", ["Python"] = "ABORTED" }, run.Statuses);
        output.WriteLine($"ended {(run.Ended - run.Finished("Julia")).TotalSeconds:0.00} s after Julia failed");
        run.AssertEndedAndContained(after: run.Finished("Julia"));
        Assert.Contains("the kernel cannot start", File.ReadAllText((string)run.Step("Julia")["log"]!), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(HostileRuns.Cases), MemberType = typeof(HostileRuns))]
    public async Task Run_HostileStep_EndsPromptlyWithARightRecordAndNothingLeft(HostileStep kind, HostileVariant variant)
    {
        var step = HostileSteps.Write(_project, kind, exits: variant == HostileVariant.NormalExit);
        var pipeline = new PipelineBuilder().Step("Hostile", step.StepFile);
        if (variant == HostileVariant.FailFast)
        {
            pipeline.Step("Fails", "fails.sh", step.FailingSibling);
        }

        _project.WritePipeline(pipeline);
        string[] env = [.. step.Environment(_project.Root).SelectMany(kv => new[] { "--env", $"{kv.Key}={kv.Value}" })];

        var run = await RunAsync(step, env, trigger: variant == HostileVariant.Cancel ? "TERM" : null);

        var (exitCode, runStatus, stepStatus) = variant switch
        {
            HostileVariant.FailFast => (1, "FAILURE", "ABORTED"),
            HostileVariant.Cancel => (1, "ABORTED", "ABORTED"),
            _ when kind == HostileStep.KernelStarting => (1, "FAILURE", "FAILURE"),
            _ => (0, "SUCCESS", "SUCCESS"),
        };
        Assert.True(run.ExitCode == exitCode, run.ToString());
        Assert.Equal(runStatus, (string)run.Record["status"]!);
        Assert.Equal(stepStatus, run.Statuses["Hostile"]);
        run.AssertEndedAndContained(after: variant == HostileVariant.FailFast ? run.Finished("Fails") : null);
        if (kind == HostileStep.PartialLines)
        {
            Assert.True(run.FragmentSeenWhileRunning, run.ToString());
        }
    }

    private async Task<CliRun> RunAsync(HostileSteps step, string[] more, string? trigger)
    {
        var wall = Stopwatch.StartNew();
        using var cli = OrchestProcess.Start(["run", _project.Root, "--json", .. more], workingDirectory: null);
        var flag = Path.Combine(_project.Root, step.StartedFlag);
        await Wait.UntilAsync(() => File.Exists(flag), TimeSpan.FromSeconds(120), $"{step.Step} to start\n{cli}");
        var triggered = DateTimeOffset.UtcNow;
        var fragmentSeen = step.Step == HostileStep.PartialLines && await LogShowsAsync(HostileSteps.PartialText) && cli.Output.Length == 0;
        step.Release(_project);

        if (trigger is not null)
        {
            triggered = DateTimeOffset.UtcNow;
            await cli.SignalAsync(trigger);
        }

        var exitCode = await cli.WaitForExitAsync(TimeSpan.FromSeconds(120));
        var ended = DateTimeOffset.UtcNow;
        wall.Stop();
        Assert.True(exitCode is not null, $"orchest run did not end within 120 s\n{cli}");
        var record = JsonNode.Parse(cli.Output)!.AsObject();
        var leftovers = ProcessTable.FindByMarker(step.Marker).Concat(ProcessTable.FindByEnvironment($"ORCHEST_RUN_UUID={(string)record["id"]!}")).ToList();
        var run = new CliRun(exitCode.Value, record, wall.Elapsed, ended - triggered, ended, leftovers, fragmentSeen, cli.ToString());
        output.WriteLine(run.Summary);
        return run;
    }

    /// <summary>True once a step log of the run holds <paramref name="text"/> (within 5 s).</summary>
    private async Task<bool> LogShowsAsync(string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            var logs = Path.Combine(_project.OrchestDirectory, "pipelines");
            if (Directory.Exists(logs) && Directory.EnumerateFiles(logs, "*.log", SearchOption.AllDirectories)
                    .Any(f => File.ReadAllText(f).Contains(text, StringComparison.Ordinal)))
            {
                return true;
            }

            await Task.Delay(20);
        }

        return false;
    }

    private static string Notebook(string language, string kernel, string source) => new JsonObject
    {
        ["cells"] = new JsonArray(new JsonObject
        {
            ["cell_type"] = "code", ["execution_count"] = null, ["id"] = "c1", ["metadata"] = new JsonObject(), ["outputs"] = new JsonArray(), ["source"] = source,
        }),
        ["metadata"] = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["display_name"] = kernel, ["language"] = language, ["name"] = kernel },
            ["language_info"] = new JsonObject { ["name"] = language },
        },
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    }.ToJsonString();

    public void Dispose() => _project.Dispose();

    /// <summary>One finished <c>orchest run --json</c>.</summary>
    private sealed record CliRun(
        int ExitCode, JsonObject Record, TimeSpan Wall, TimeSpan TriggerToEnd, DateTimeOffset Ended, IReadOnlyList<int> Leftovers, bool FragmentSeenWhileRunning, string Console)
    {
        public Dictionary<string, string> Statuses =>
            Record["steps"]!.AsArray().ToDictionary(s => (string)s!["title"]!, s => (string)s!["status"]!);

        public JsonObject Step(string title) => Record["steps"]!.AsArray().Single(s => (string)s!["title"]! == title)!.AsObject();

        public DateTimeOffset Finished(string title) => (DateTimeOffset)Step(title)["finished"]!;

        public string Summary => $"exit {ExitCode} after {Wall.TotalSeconds:0.00} s ({TriggerToEnd.TotalSeconds:0.00} s after the trigger): "
                                 + string.Join(", ", Statuses.Select(kv => $"{kv.Key} {kv.Value}"));

        /// <summary>Ended within grace + slack of its trigger (<paramref name="after"/> when the record knows it better), nothing left, the record's duration matching the wall time.</summary>
        public void AssertEndedAndContained(DateTimeOffset? after)
        {
            var took = after is { } t ? Ended - t : TriggerToEnd;
            Assert.True(took <= Grace + Slack, $"the CLI ended {took.TotalSeconds:0.0} s after its trigger\n{this}");
            Assert.True(Leftovers.Count == 0, $"processes left: {string.Join(", ", Leftovers)}\n{this}");
            var recorded = (DateTimeOffset)Record["finished"]! - (DateTimeOffset)Record["started"]!;
            Assert.True(recorded <= Wall && Wall - recorded <= Grace + Slack, $"recorded {recorded.TotalSeconds:0.00} s for {Wall.TotalSeconds:0.00} s of wall time\n{this}");
            Assert.All(Record["steps"]!.AsArray(), s => Assert.True((DateTimeOffset?)s!["finished"] >= (DateTimeOffset?)s["started"], s.ToJsonString()));
        }

        public override string ToString() => $"{Summary}\n{Console}";
    }
}

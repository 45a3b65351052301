using Orchest.Pipelines;
using Orchest.Runners.Process;
using Orchest.Testing;

namespace Orchest.Runners.Tests;

public sealed class ProcessStepRunnerTests : IDisposable
{
    private readonly TempProject _project = new("runner");
    private readonly ProcessStepRunner _runner = new(new ProcessRunnerOptions { KillGracePeriod = TimeSpan.FromMilliseconds(500) });

    [Fact]
    public async Task RunAsync_ShellStep_RunsInItsFolderWithOrchestVariables()
    {
        _project.Write("steps/show.sh", "pwd\necho \"step=$ORCHEST_STEP_UUID run=$ORCHEST_RUN_UUID type=$ORCHEST_SESSION_TYPE\"\necho \"context=$ORCHEST_STEP_CONTEXT\"\necho \"secret=$MY_SECRET\"\n");
        var launch = StepLaunches.For(_project, "steps/show.sh", StepFileKind.Shell, env: new Dictionary<string, string> { ["MY_SECRET"] = "s3cr3t" });
        await using var log = new MemoryStepLog();

        var exit = await _runner.RunAsync(launch, log);

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(Path.Combine(_project.Root, "steps"), log.Lines[0]);
        Assert.Equal($"step=step-1 run={launch.RunId} type=interactive", log.Lines[1]);
        Assert.Equal($"context={launch.ContextFile}", log.Lines[2]);
        Assert.Equal("secret=s3cr3t", log.Lines[3]);
        Assert.Contains("\"step_parameters\"", File.ReadAllText(launch.ContextFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UserVariableNamedLikeOurs_DoesNotOverrideIt()
    {
        _project.Write("s.sh", "echo \"$ORCHEST_STEP_UUID\"\n");
        var launch = StepLaunches.For(_project, "s.sh", StepFileKind.Shell, env: new Dictionary<string, string> { ["ORCHEST_STEP_UUID"] = "spoofed" });
        await using var log = new MemoryStepLog();

        await _runner.RunAsync(launch, log);

        Assert.Equal(["step-1"], log.Lines);
    }

    [Fact]
    public async Task RunAsync_PythonStep_StreamsOutputWhileRunning()
    {
        var flag = Path.Combine(_project.Root, "go");
        _project.Write("live.py", $"import os, time\nprint('first', flush=True)\nwhile not os.path.exists({System.Text.Json.JsonSerializer.Serialize(flag)}):\n    time.sleep(0.02)\nprint('second')\n");
        await using var log = new MemoryStepLog();

        var run = _runner.RunAsync(StepLaunches.For(_project, "live.py", StepFileKind.Python), log);
        await log.WaitForAsync("first", TimeSpan.FromSeconds(20));
        Assert.False(run.IsCompleted);
        await File.WriteAllTextAsync(flag, "");
        var exit = await run;

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(["first", "second"], log.Lines);
    }

    [Fact]
    public async Task RunAsync_FailingStep_RecordsExitCodeAndStderr()
    {
        _project.Write("fail.sh", "echo 'about to fail' >&2\nexit 3\n");
        await using var log = new MemoryStepLog();

        var exit = await _runner.RunAsync(StepLaunches.For(_project, "fail.sh", StepFileKind.Shell), log);

        Assert.Equal(3, exit.ExitCode);
        Assert.False(exit.Succeeded);
        Assert.Equal(["about to fail"], log.Lines);
    }

    [Theory]
    [InlineData(ProcessSandbox.None)]
    [InlineData(ProcessSandbox.Auto)]
    public async Task RunAsync_Step_IsASessionLeaderWithSigpipeAtItsDefaultAndEmptyStdin(ProcessSandbox sandbox)
    {
        // .NET ignores SIGPIPE and an ignored signal stays ignored across exec: a step must not inherit that
        // (`yes | head -1` then printed "Broken pipe" errors). A session of its own keeps the terminal's Ctrl-C away.
        _project.Write("signals.sh", "yes | head -1\nps -o sid= -p $$ | tr -d ' '\necho $$\ngrep SigIgn /proc/$$/status | cut -f2\nread -t 5 line; echo \"read $?\"\nexit 4\n");
        var runner = new ProcessStepRunner(new ProcessRunnerOptions { Sandbox = sandbox });
        await using var log = new MemoryStepLog();

        var exit = await runner.RunAsync(StepLaunches.For(_project, "signals.sh", StepFileKind.Shell), log);

        Assert.Equal(4, exit.ExitCode);
        Assert.True(log.Lines.Count == 5, string.Join("\n", log.Lines));
        Assert.Equal("y", log.Lines[0]);
        if (sandbox == ProcessSandbox.None)
        {
            Assert.Equal(log.Lines[2], log.Lines[1]); // its own session (inside a sandbox the session leader is outside its pid namespace)
        }

        var ignored = Convert.ToUInt64(log.Lines[3], 16);
        Assert.True((ignored & (1UL << (13 - 1))) == 0, $"SIGPIPE is ignored in the step (SigIgn {log.Lines[3]})");
        Assert.Equal("read 1", log.Lines[4]);
    }

    [Fact]
    public async Task RunAsync_MissingInterpreter_FailsWithExitCode127AndAClearMessage()
    {
        _project.Write("model.R", "print(1)\n");
        var runner = new ProcessStepRunner(new ProcessRunnerOptions { Rscript = "Rscript-that-does-not-exist" });
        await using var log = new MemoryStepLog();

        var exit = await runner.RunAsync(StepLaunches.For(_project, "model.R", StepFileKind.R), log);

        Assert.Equal(127, exit.ExitCode);
        Assert.Equal("Rscript interpreter \"Rscript-that-does-not-exist\" was not found: install it or set Orchest:Runners:Process:Rscript.", exit.Message);
        Assert.Equal([exit.Message!], log.Lines);
    }

    [Fact]
    public async Task RunAsync_UnsupportedExtension_FailsWithOrchestsMessage()
    {
        _project.Write("query.sql", "select 1;\n");
        await using var log = new MemoryStepLog();

        var exit = await _runner.RunAsync(StepLaunches.For(_project, "query.sql", StepFileKind.Unsupported), log);

        Assert.Equal(1, exit.ExitCode);
        Assert.Equal("Running files with 'sql' extension is not yet supported.", exit.Message);
    }

    [Fact]
    public async Task RunAsync_MissingStepFile_FailsWithOrchestsMessage()
    {
        await using var log = new MemoryStepLog();
        var launch = StepLaunches.For(_project, "gone.py", StepFileKind.Python);

        var exit = await _runner.RunAsync(launch, log);

        Assert.Equal($"Orchest error: could not find file \"{launch.StepFile}\".", exit.Message);
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsTheWholeProcessTreeEvenWhenTermIsIgnored()
    {
        var marker = $"orchest-test-{Guid.NewGuid():n}";
        _project.Write("stubborn.sh", $"trap '' TERM\nbash -c 'trap \"\" TERM; sleep 300; : {marker}' &\nbash -c 'sleep 300; : {marker}' &\necho started\nwait\n");
        await using var log = new MemoryStepLog();
        using var cts = new CancellationTokenSource();

        var run = _runner.RunAsync(StepLaunches.For(_project, "stubborn.sh", StepFileKind.Shell), log, cts.Token);
        await log.WaitForAsync("started", TimeSpan.FromSeconds(20));
        // The background shells may not have started yet, or a shell's child may not have exec'd sleep yet
        // (until then it carries the shell's command line too, so a count of 3 comes and goes): wait until
        // three reads in a row find the two shells.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var counts = new Queue<int>();
        while ((counts.Count < 3 || counts.Any(c => c != 2)) && DateTime.UtcNow < deadline)
        {
            counts.Enqueue(ProcessTable.FindByMarker(marker).Count);
            if (counts.Count > 3)
            {
                counts.Dequeue();
            }

            await Task.Delay(20);
        }

        Assert.Equal([2, 2, 2], counts);
        await cts.CancelAsync();
        var exit = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(exit.Stopped);
        Assert.Empty(await ProcessTable.WaitGoneAsync(marker, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task RunAsync_StepLeavesBackgroundProcess_ItIsStoppedWhenTheStepEnds()
    {
        var marker = $"orchest-test-{Guid.NewGuid():n}";
        _project.Write("daemon.sh", $"nohup bash -c 'sleep 300; : {marker}' >/dev/null 2>&1 &\necho done\n");
        await using var log = new MemoryStepLog();

        var exit = await _runner.RunAsync(StepLaunches.For(_project, "daemon.sh", StepFileKind.Shell), log).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, exit.ExitCode);
        Assert.Empty(await ProcessTable.WaitGoneAsync(marker, TimeSpan.FromSeconds(5)));
    }

    public void Dispose() => _project.Dispose();
}

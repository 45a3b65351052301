using System.Diagnostics;
using System.Runtime.Versioning;
using Orchest.Pipelines;
using Orchest.Testing;

namespace Orchest.Runners.Docker.Tests;

[Collection(DockerCollection.Name)]
public sealed class DockerStepRunnerTests(DockerEngineFixture engine) : IAsyncLifetime
{
    private readonly DockerTestContext _docker = new(engine);
    private readonly TempProject _project = new("docker-runner");

    [Fact]
    public async Task RunAsync_StepExitsNonZero_RecordsExitCodeAndLog()
    {
        _project.Write("fail.py", "import sys\nprint('before failure')\nsys.stderr.write('bad thing happened\\n')\nsys.exit(3)\n");
        using var runner = _docker.Runner();
        await using var log = new MemoryStepLog();

        var exit = await runner.RunAsync(StepLaunches.For(_project, "fail.py", StepFileKind.Python), log);

        Assert.Equal(3, exit.ExitCode);
        Assert.False(exit.Succeeded);
        Assert.Contains("before failure", log.Lines);
        Assert.Contains("bad thing happened", log.Lines);
    }

    [Fact]
    public async Task RunAsync_StepContainer_SeesEnvironmentWorkingDirMountsLabelsAndLimits()
    {
        _project.Write("steps/inspect.sh", """
            echo "pwd=$(pwd)"
            echo "user=$(id -un)"
            echo "vars=$ORCHEST_STEP_UUID $ORCHEST_PROJECT_DIR $ORCHEST_DATA_DIR $ORCHEST_PIPELINE_PATH $ORCHEST_STEP_CONTEXT"
            echo "greeting=$GREETING"
            python3 -c "import orchest; print('k=' + str(orchest.get_step_param('k')))"
            python3 -c "import json, os; print('output=' + json.load(open(os.environ['ORCHEST_STEP_CONTEXT']))['output']['path'])"
            echo "from the container" > /data/from-container.txt
            echo "beside the step" > beside.txt
            for s in /var/run/docker.sock /run/docker.sock /run/podman/podman.sock; do [ -e "$s" ] && echo "socket=$s"; done
            echo "docker_host=${DOCKER_HOST:-unset}"
            echo "memory=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max)"
            echo waiting
            while [ ! -f /project-dir/release ]; do sleep 0.05; done
            """);
        var runId = "run-" + Guid.NewGuid().ToString("n")[..8];
        var pipeline = """{"steps": {"step-1": {"resources": {"memory": "256m", "cpus": 0.5}}}}""";
        var launch = StepLaunches.For(_project, "steps/inspect.sh", StepFileKind.Shell, runId, pipeline, new Dictionary<string, string> { ["GREETING"] = "hello" });
        using var runner = _docker.Runner();
        await using var log = new MemoryStepLog();

        var running = runner.RunAsync(launch, log);
        await log.WaitForAsync("waiting", TimeSpan.FromSeconds(60));
        var container = Assert.Single(await _docker.ContainersAsync(ContainerLabels.Run, runId));
        var inspect = await _docker.Client.Containers.InspectContainerAsync(container.ID);
        _project.Write("release", "");
        var exit = await running;

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("true", inspect.Config.Labels[ContainerLabels.Managed]);
        Assert.Equal("step-1", inspect.Config.Labels[ContainerLabels.Step]);
        Assert.Equal("1", inspect.Config.Labels[ContainerLabels.Attempt]);
        Assert.Equal(256L << 20, inspect.HostConfig.Memory);
        Assert.Equal(500_000_000L, inspect.HostConfig.NanoCPUs);
        Assert.True(inspect.HostConfig.Init);
        Assert.Equal("host", inspect.HostConfig.NetworkMode);
        Assert.DoesNotContain(inspect.Mounts, m => m.Source.Contains(".sock", StringComparison.Ordinal));
        Assert.Contains("pwd=/project-dir/steps", log.Lines);
        Assert.Contains("user=jovyan", log.Lines);
        Assert.Contains("vars=step-1 /project-dir /data /project-dir/.orchest/runs/" + runId + "/pipeline.json /project-dir/.orchest/runs/" + runId + "/steps/step-1-1.context.json", log.Lines);
        Assert.Contains("greeting=hello", log.Lines);
        Assert.Contains("k=1", log.Lines);
        Assert.Contains($"output=/project-dir/.orchest/pipelines/ppl/data/step-1/{runId}-1", log.Lines);
        Assert.DoesNotContain(log.Lines, l => l.StartsWith("socket=", StringComparison.Ordinal));
        Assert.Contains("docker_host=unset", log.Lines);
        Assert.Contains("memory=268435456", log.Lines);
        Assert.Equal("from the container\n", File.ReadAllText(Path.Combine(_project.Root, "data", "from-container.txt")));
        Assert.Equal("beside the step\n", _project.Read("steps/beside.txt"));
        Assert.Empty(await _docker.ContainersAsync(ContainerLabels.Run, runId));
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task RunAsync_RunAsImageUserOff_RunsAsCallerAndChangesNoFileModes()
    {
        var step = _project.Write("who.sh", "echo \"uid=$(id -u)\"\n");
        File.SetUnixFileMode(step, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        using var runner = _docker.Runner(o => o.RunAsImageUser = false);
        await using var log = new MemoryStepLog();

        var exit = await runner.RunAsync(StepLaunches.For(_project, "who.sh", StepFileKind.Shell), log);

        var uid = File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t')[2];
        Assert.Equal(0, exit.ExitCode);
        Assert.Contains($"uid={uid}", log.Lines);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(step));
    }

    [Fact]
    public async Task RunAsync_NotebookStep_RunsInContainerHonouringSkipTag()
    {
        _project.Write("nb/analysis.ipynb", new NotebookBuilder()
            .Code("import os\nprint('first cell in', os.getcwd())")
            .Code("raise RuntimeError('a skipped cell ran')", "skip")
            .Code("import orchest\norchest.output({'cells': 2}, name='summary')\nprint('done')")
            .ToJson());
        var launch = StepLaunches.For(_project, "nb/analysis.ipynb", StepFileKind.Notebook);
        using var runner = _docker.Runner();
        await using var log = new MemoryStepLog();

        var exit = await runner.RunAsync(launch, log);

        Assert.True(exit.Succeeded, log.Text);
        Assert.Contains("[1] first cell in /project-dir/nb", log.Lines);
        Assert.DoesNotContain("a skipped cell ran", log.Text, StringComparison.Ordinal);
        Assert.Contains("[2] done", log.Lines);
        var executed = File.ReadAllText(launch.ExecutedNotebookPath);
        Assert.Contains("first cell in /project-dir/nb", executed, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(launch.Context.Output.Path!, "named-summary.meta.json")));
    }

    [Fact]
    public async Task RunAsync_CancelledStepIgnoringTerm_IsKilledAndLeavesNoContainer()
    {
        _project.Write("stubborn.sh", "trap '' TERM\necho started\nwhile true; do sleep 0.1; done\n");
        var runId = "run-" + Guid.NewGuid().ToString("n")[..8];
        using var runner = _docker.Runner(o => o.KillGracePeriod = TimeSpan.FromSeconds(1));
        await using var log = new MemoryStepLog();
        using var cancel = new CancellationTokenSource();

        var running = runner.RunAsync(StepLaunches.For(_project, "stubborn.sh", StepFileKind.Shell, runId), log, cancel.Token);
        await log.WaitForAsync("started", TimeSpan.FromSeconds(60));
        var stopwatch = Stopwatch.StartNew();
        await cancel.CancelAsync();
        var exit = await running;

        Assert.True(exit.Stopped);
        Assert.Equal(137, exit.ExitCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"stopping took {stopwatch.Elapsed}");
        Assert.Empty(await _docker.ContainersAsync(ContainerLabels.Run, runId));
    }

    [Fact]
    public async Task RunAsync_CancelledPythonStep_EndsOnTermAndLeavesNoContainer()
    {
        _project.Write("sleepy.py", "import time\nprint('started', flush=True)\ntime.sleep(300)\n");
        var runId = "run-" + Guid.NewGuid().ToString("n")[..8];
        using var runner = _docker.Runner(o => o.KillGracePeriod = TimeSpan.FromSeconds(30));
        await using var log = new MemoryStepLog();
        using var cancel = new CancellationTokenSource();

        var running = runner.RunAsync(StepLaunches.For(_project, "sleepy.py", StepFileKind.Python, runId), log, cancel.Token);
        await log.WaitForAsync("started", TimeSpan.FromSeconds(60));
        await cancel.CancelAsync();
        var exit = await running;

        Assert.True(exit.Stopped);
        Assert.Equal(143, exit.ExitCode);
        Assert.Empty(await _docker.ContainersAsync(ContainerLabels.Run, runId));
    }

    [Fact]
    public async Task RunAsync_CancelledWhileEnvironmentBuilds_StopsWaitingAndStartsNoContainer()
    {
        _project.Write("a.py", "print('never')\n");
        // Fixed content: the layers the abandoned build leaves are the layer cache of the next test run, not litter.
        var environment = StepLaunches.Environment(
            _project, DockerEngineFixture.BaseImage, "echo a slow environment\nsleep 20\n", "0c4ce1ed-5e7f-4b0a-9d8e-0a11ce11ed00");
        var runId = "run-" + Guid.NewGuid().ToString("n")[..8];
        using var runner = _docker.Runner(o => o.BuildTimeout = TimeSpan.FromSeconds(60));
        await using var log = new MemoryStepLog();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var stopwatch = Stopwatch.StartNew();

        var exit = await runner.RunAsync(StepLaunches.For(_project, "a.py", StepFileKind.Python, runId, environment: environment), log, cancel.Token);

        Assert.True(exit.Stopped);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"returned after {stopwatch.Elapsed}");
        Assert.Empty(await _docker.ContainersAsync(ContainerLabels.Run, runId));
    }

    [Fact]
    public async Task RunAsync_InterpreterMissingFromImage_Exits127WithReason()
    {
        _project.Write("model.R", "print('hi')\n");
        using var runner = _docker.Runner();
        await using var log = new MemoryStepLog();

        var exit = await runner.RunAsync(StepLaunches.For(_project, "model.R", StepFileKind.R), log);

        Assert.Equal(127, exit.ExitCode);
        Assert.Contains("interpreter", exit.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_EngineUnreachable_FailsStepSayingHowToStartIt()
    {
        _project.Write("ok.py", "print('never')\n");
        using var runner = new DockerStepRunner(_docker.Options(o => o.Endpoint = "unix:///tmp/orchest-no-such-engine.sock"));
        await using var log = new MemoryStepLog();

        var exit = await runner.RunAsync(StepLaunches.For(_project, "ok.py", StepFileKind.Python), log);

        Assert.Equal(1, exit.ExitCode);
        Assert.Contains("not reachable", exit.Message, StringComparison.Ordinal);
        Assert.Contains("podman-service.sh start", log.Text, StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _docker.DisposeAsync();
        _project.Dispose();
    }
}

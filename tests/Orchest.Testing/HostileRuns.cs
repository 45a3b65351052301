using System.Collections.Concurrent;
using System.Diagnostics;
using Orchest.Engine.Embedded;
using Orchest.Engine.Execution;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;
using Orchest.Pipelines;
using Xunit;

namespace Orchest.Testing;

/// <summary>
/// Runs one hostile step through the embedded engine with any step runner, as a pipeline (fail-fast
/// adds a step that fails once the hostile step is up), and measures how it ends.
/// </summary>
public static class HostileRuns
{
    private const string HostileTitle = "Hostile";

    /// <summary>Every hostile step with every way its run ends.</summary>
    public static IEnumerable<(HostileStep Step, HostileVariant Variant)> All =>
        Enum.GetValues<HostileStep>().SelectMany(step => Enum.GetValues<HostileVariant>().Select(variant => (step, variant)));

    /// <summary><see cref="All"/> as theory data.</summary>
    public static TheoryData<HostileStep, HostileVariant> Cases()
    {
        var cases = new TheoryData<HostileStep, HostileVariant>();
        foreach (var (step, variant) in All)
        {
            cases.Add(step, variant);
        }

        return cases;
    }

    /// <param name="projectDirInStep">The project folder as the step sees it (the host path, or /project-dir in a container).</param>
    public static async Task<HostileRunResult> RunAsync(
        IStepRunner runner, HostileStep kind, HostileVariant variant, string? projectDirInStep = null, CancellationToken cancellationToken = default)
    {
        using var project = new TempProject("hostile");
        var step = HostileSteps.Write(project, kind, exits: variant == HostileVariant.NormalExit);
        var pipeline = new PipelineBuilder().Step(HostileTitle, step.StepFile);
        if (variant == HostileVariant.FailFast)
        {
            pipeline.Step("Fails", "fails.sh", step.FailingSibling);
        }

        project.WritePipeline(pipeline);
        var read = PipelineFile.Parse(pipeline.ToJson(), "main.orchest");
        var graph = RunGraphBuilder.Build(read.Pipeline!, RunType.Full, []).Graph!;
        var request = new RunRequest
        {
            ProjectId = "p",
            Workspace = project.Root,
            EnvironmentVariables = step.Environment(projectDirInStep ?? project.Root),
        };
        var plan = RunPlanner.Plan(request, read.Pipeline!, graph, DateTimeOffset.UtcNow);

        var log = new ConcurrentQueue<string>();
        var completion = new RunCompletion();
        var artifacts = new LocalArtifactStore(project.OrchestDirectory, onLogLine: (target, line) =>
        {
            if (target.StepTitle == HostileTitle)
            {
                log.Enqueue(line);
            }
        });
        var engine = new RunEngine(
            new InMemoryRunStore(), new InMemoryWorkQueue(), artifacts, runner,
            new LocalWorkspaces(Path.Combine(project.Root, "data")), new EngineOptions(), [completion]);
        using var stop = new CancellationTokenSource();
        var worker = engine.Worker.RunAsync(stop.Token);
        try
        {
            var wall = Stopwatch.StartNew();
            await engine.SubmitAsync(plan, cancellationToken);
            var flag = Path.Combine(project.Root, step.StartedFlag);
            var done = completion.WaitAsync(plan.Snapshot.Run.Id, cancellationToken);
            await WaitAsync(() => File.Exists(flag) || done.IsCompleted, TimeSpan.FromSeconds(120), $"{kind} to start\n{string.Join('\n', log)}");
            if (!File.Exists(flag))
            {
                throw new InvalidOperationException($"The run ended before {kind} started:\n{string.Join('\n', log)}");
            }

            var trigger = Stopwatch.StartNew();
            var fragmentSeen = kind == HostileStep.PartialLines
                && await WaitAsync(() => log.Contains(HostileSteps.PartialText), TimeSpan.FromSeconds(5)) && engine.RunningSteps > 0;
            step.Release(project);

            if (variant == HostileVariant.Cancel)
            {
                trigger.Restart();
                await engine.CancelAsync(plan.Snapshot.Run.Id, "cancelled by the test", cancellationToken);
            }

            await completion.WaitAsync(plan.Snapshot.Run.Id, cancellationToken).WaitAsync(TimeSpan.FromSeconds(120), cancellationToken);
            // The run is over when its steps' runners have returned (their logs closed), not when its record says so.
            await WaitAsync(() => engine.RunningSteps == 0, TimeSpan.FromSeconds(120), "the steps to end");
            var ended = trigger.Elapsed;
            var endedAt = DateTimeOffset.UtcNow;
            wall.Stop();
            var leftovers = await ProcessTable.WaitGoneAsync(step.Marker, TimeSpan.FromSeconds(1));
            // Only where the step sees the host's folders (a container's go with the container).
            var kernelRuntime = kind == HostileStep.KernelStarting && projectDirInStep is null ? await File.ReadAllTextAsync(flag, cancellationToken) : null;
            var snapshot = (await engine.GetAsync(plan.Snapshot.Run.Id, cancellationToken))!;
            if (variant == HostileVariant.FailFast && snapshot.Steps.Single(s => s.Title == "Fails").Finished is { } failed)
            {
                // Fail-fast starts when the other step's failure is committed.
                ended = endedAt - failed;
            }

            return new HostileRunResult(
                step, variant, snapshot, wall.Elapsed, ended, leftovers, log.ToList(), fragmentSeen, HostileTitle,
                kernelRuntime is not null && Directory.Exists(kernelRuntime) ? kernelRuntime : null);
        }
        finally
        {
            await stop.CancelAsync();
            await worker.WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
            KillLeftovers(step.Marker);
        }
    }

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout, string? what = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return what is null ? false : throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>A failed test must not leave its sleepers behind.</summary>
    private static void KillLeftovers(string marker)
    {
        foreach (var pid in ProcessTable.FindByMarker(marker))
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }
    }
}

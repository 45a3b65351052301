using Orchest.Engine.Runs;
using Xunit;

namespace Orchest.Testing;

/// <summary>What a hostile run did, and the checks every runner must pass (issue 10).</summary>
public sealed record HostileRunResult(
    HostileSteps Step,
    HostileVariant Variant,
    RunSnapshot Run,
    TimeSpan Wall,
    TimeSpan TriggerToEnd,
    IReadOnlyList<int> Leftovers,
    IReadOnlyList<string> Log,
    bool FragmentSeenWhileRunning,
    string HostileTitle,
    string? KernelRuntimeLeft)
{
    /// <summary>
    /// The run ended within the grace period plus <paramref name="slack"/> of what ended it, no process
    /// of it is left (nor its kernel's runtime folder), the record's statuses are right and its duration
    /// matches the wall time.
    /// </summary>
    public void AssertContained(TimeSpan grace, TimeSpan slack)
    {
        var bound = grace + slack;
        Assert.True(TriggerToEnd <= bound, $"the run took {TriggerToEnd.TotalSeconds:0.0} s to end after its trigger (bound {bound.TotalSeconds:0} s)\n{this}");
        Assert.True(Leftovers.Count == 0, $"processes left: {string.Join(", ", Leftovers)}\n{this}");
        Assert.True(KernelRuntimeLeft is null, $"the kernel's runtime folder is left: {KernelRuntimeLeft}\n{this}");

        var hostile = Run.Steps.Single(s => s.Title == HostileTitle);
        var (runStatus, stepStatus) = Variant switch
        {
            HostileVariant.FailFast => (ExecutionStatus.Failure, ExecutionStatus.Aborted),
            HostileVariant.Cancel => (ExecutionStatus.Aborted, ExecutionStatus.Aborted),
            // The kernel died while starting: the notebook cannot run (exit 2).
            _ when Step.Step == HostileStep.KernelStarting => (ExecutionStatus.Failure, ExecutionStatus.Failure),
            _ => (ExecutionStatus.Success, ExecutionStatus.Success),
        };
        Assert.True(Run.Run.Status == runStatus, $"run {Run.Run.Status}, expected {runStatus}\n{this}");
        Assert.True(hostile.Status == stepStatus, $"step {hostile.Status}, expected {stepStatus}\n{this}");
        if (Variant == HostileVariant.NormalExit && Step.Step == HostileStep.KernelStarting)
        {
            Assert.Equal(2, hostile.ExitCode);
        }

        // Durations are the record's own timestamps: they must agree with the wall clock.
        var recorded = Run.Run.Finished!.Value - Run.Run.Started!.Value;
        Assert.True(recorded <= Wall + TimeSpan.FromSeconds(1), $"recorded {recorded}, wall {Wall}\n{this}");
        Assert.True(Wall - recorded <= bound, $"recorded {recorded.TotalSeconds:0.0} s for {Wall.TotalSeconds:0.0} s of wall time\n{this}");
        Assert.All(Run.Steps, s => Assert.True(s.Finished >= s.Started, $"{s.Title}: finished {s.Finished} before started {s.Started}"));

        if (Step.Step == HostileStep.PartialLines)
        {
            Assert.True(FragmentSeenWhileRunning, $"\"{HostileSteps.PartialText}\" did not reach the log while the step ran\n{this}");
        }

        if (Step.Step == HostileStep.ChildKeepsWriting)
        {
            Assert.Contains(Log, l => l.StartsWith("child writing", StringComparison.Ordinal));
        }
    }

    public override string ToString() =>
        $"{Step.Step} {Variant}: run {Run.Run.Status} in {Wall.TotalSeconds:0.00} s wall ({TriggerToEnd.TotalSeconds:0.00} s after the trigger)\n"
        + string.Join('\n', Run.Steps.Select(s => $"  {s.Title}: {s.Status} exit {s.ExitCode} {s.Message}"))
        + "\n--- log (last 20 lines)\n" + string.Join('\n', Log.TakeLast(20));
}

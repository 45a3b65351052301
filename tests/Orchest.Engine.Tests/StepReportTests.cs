using Orchest.Engine.Scheduling;

namespace Orchest.Engine.Tests;

/// <summary>Whether a step report can be a dispatch's (a durable orchestrator matches results to calls by number only).</summary>
public sealed class StepReportTests
{
    private static readonly StepWorkItem Dispatched = new("run-1", "step-a", 2);

    [Theory]
    [InlineData("step-a", 2, true)]
    [InlineData("step-a", 3, true)] // earlier executions of the dispatch were lost with their host
    [InlineData(null, 2, true)] // a host from before reports named their step
    [InlineData("step-b", 2, false)]
    [InlineData("step-a", 1, false)]
    [InlineData("STEP-A", 2, false)]
    public void IsFor_ComparesStepAndAttempt(string? reportedStep, int reportedAttempt, bool expected)
    {
        var report = new StepReport(
            reportedAttempt, "h1", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, StepOutcome.Succeeded("set"), StepUuid: reportedStep);

        Assert.Equal(expected, report.IsFor(Dispatched));
    }
}

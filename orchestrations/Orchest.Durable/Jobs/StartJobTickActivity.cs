using Microsoft.DurableTask;

namespace Orchest.Durable.Jobs;

/// <summary>Starts one tick's runs (<see cref="IJobRuns.StartTickAsync"/>). At least once, idempotent by its input.</summary>
[DurableTask(Name)]
public sealed class StartJobTickActivity(IJobRuns runs) : TaskActivity<JobTickInput, JobTickResult>
{
    public const string Name = "StartJobTick";

    public override Task<JobTickResult> RunAsync(TaskActivityContext context, JobTickInput input) => runs.StartTickAsync(input);
}

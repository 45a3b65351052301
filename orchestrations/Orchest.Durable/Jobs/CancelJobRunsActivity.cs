using Microsoft.DurableTask;

namespace Orchest.Durable.Jobs;

/// <summary>Cancels a job's unfinished runs (the job is being cancelled).</summary>
[DurableTask(Name)]
public sealed class CancelJobRunsActivity(IJobRuns runs) : TaskActivity<CancelJobRunsInput, int>
{
    public const string Name = "CancelJobRuns";

    public override Task<int> RunAsync(TaskActivityContext context, CancelJobRunsInput input) => runs.CancelAsync(input.JobId, input.Reason);
}

using Microsoft.DurableTask;

namespace Orchest.Durable.Jobs;

/// <summary>Counts a job's runs by status (a one-off job watches them end).</summary>
[DurableTask(Name)]
public sealed class CountJobRunsActivity(IJobRuns runs) : TaskActivity<string, JobRunCounts>
{
    public const string Name = "CountJobRuns";

    public override Task<JobRunCounts> RunAsync(TaskActivityContext context, string input) => runs.CountAsync(input);
}

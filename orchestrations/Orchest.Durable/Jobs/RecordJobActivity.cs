using Microsoft.DurableTask;
using Orchest.Engine.Jobs;
using Orchest.Engine.Ports;

namespace Orchest.Durable.Jobs;

/// <summary>Records a job's state (a transition, the next tick) that no tick carries (<see cref="IJobStore.ApplyAsync"/>).</summary>
[DurableTask(Name)]
public sealed class RecordJobActivity(IJobStore jobs) : TaskActivity<JobProgress, bool>
{
    public const string Name = "RecordJob";

    public override async Task<bool> RunAsync(TaskActivityContext context, JobProgress input)
    {
        await jobs.ApplyAsync(input);
        return true;
    }
}

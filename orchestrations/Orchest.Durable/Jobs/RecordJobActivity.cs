using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Orchest.Engine.Jobs;
using Orchest.Engine.Ports;

namespace Orchest.Durable.Jobs;

/// <summary>
/// Records a job's state (a transition, the next tick) that no tick carries (<see cref="IJobStore.ApplyAsync"/>).
/// Returns whether the state was written (false: a later write of the orchestration is stored; the call's answer is not read).
/// </summary>
[DurableTask(Name)]
public sealed class RecordJobActivity(IJobStore jobs, ILogger<RecordJobActivity> logger) : TaskActivity<JobProgress, bool>
{
    public const string Name = "RecordJob";

    public override async Task<bool> RunAsync(TaskActivityContext context, JobProgress input)
    {
        var written = await jobs.ApplyAsync(input);
        if (!written)
        {
            Logs.JobRecordLate(logger, input.JobId, input.State.Record, input.State.Status.ToWire());
        }

        return written;
    }
}

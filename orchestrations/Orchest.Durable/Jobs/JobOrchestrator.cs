using Microsoft.DurableTask;

namespace Orchest.Durable.Jobs;

/// <summary>
/// A job (DESIGN §5): one orchestration instance per job, instance id <see cref="InstanceId"/>. It sleeps on a
/// durable timer until the next tick, starts that tick's runs through <see cref="StartJobTickActivity"/>, and
/// continues as new with the tick it handled, so ticks survive host loss and fire once with any number of
/// hosts. The API's pause, resume, trigger, update and cancel arrive as <see cref="CommandEvent"/>. Returns
/// the job's final status.
/// </summary>
[DurableTask(Name)]
public sealed class JobOrchestrator : TaskOrchestrator<JobOrchestrationInput, string>
{
    public const string Name = "Job";

    /// <summary>The external event carrying a <see cref="JobCommand"/>.</summary>
    public const string CommandEvent = "command";

    public static string InstanceId(string jobId) => "job-" + jobId;

    public override Task<string> RunAsync(TaskOrchestrationContext context, JobOrchestrationInput input) =>
        new JobDriver(context, input).DriveAsync();
}

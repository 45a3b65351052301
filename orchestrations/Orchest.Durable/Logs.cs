using Microsoft.Extensions.Logging;

namespace Orchest.Durable;

/// <summary>Log messages of the durable runs (event ids 3100-3199). Never log parameter or environment values.</summary>
internal static partial class Logs
{
    [LoggerMessage(3100, LogLevel.Information, "Run {RunId} ended {Status}")]
    public static partial void RunEnded(ILogger logger, string runId, string status);

    [LoggerMessage(3101, LogLevel.Debug, "Run {RunId}: decision not applied ({Reason})")]
    public static partial void DecisionRejected(ILogger logger, string runId, string reason);

    [LoggerMessage(3102, LogLevel.Information, "Run {RunId} step {StepUuid} attempt {Attempt} begins on {HostId}")]
    public static partial void StepBegins(ILogger logger, string runId, string stepUuid, int attempt, string hostId);

    [LoggerMessage(3103, LogLevel.Information, "Run {RunId}: {Stopped} running steps stopped on this host")]
    public static partial void StepsStopped(ILogger logger, string runId, int stopped);

    [LoggerMessage(3104, LogLevel.Warning, "Run {RunId}: could not check whether its steps must stop")]
    public static partial void StopCheckFailed(ILogger logger, string runId, Exception exception);

    [LoggerMessage(3105, LogLevel.Warning, "Run {RunId}: could not release what this host kept for it")]
    public static partial void ForgetFailed(ILogger logger, string runId, Exception exception);

    [LoggerMessage(3106, LogLevel.Warning, "Run {RunId}: progress {Sequence} not written yet ({Kept} kept, retry {Retries}); retried shortly")]
    public static partial void ProgressKept(ILogger logger, string runId, long sequence, int kept, int retries, Exception exception);

    [LoggerMessage(3107, LogLevel.Error, "Run {RunId}: its orchestration failed; the run ends FAILURE")]
    public static partial void RunFaulted(ILogger logger, string runId, Exception exception);

    [LoggerMessage(3108, LogLevel.Information, "Run {RunId}: {Count} services ready")]
    public static partial void ServicesReady(ILogger logger, string runId, int count);

    [LoggerMessage(3109, LogLevel.Warning, "Run {RunId}: its services did not start: {Failure}")]
    public static partial void ServicesFailed(ILogger logger, string runId, string failure);

    [LoggerMessage(3110, LogLevel.Warning, "Run {RunId}: its services could not be removed ({Reason}); the container janitor removes them")]
    public static partial void ServicesNotStopped(ILogger logger, string runId, string reason);

    [LoggerMessage(3112, LogLevel.Debug, "Run {RunId}: progress {Progress} ({Events} events, final {Final}, repeating {Previous}) {Decision}; applied before it: {Applied}")]
    public static partial void ProgressSeen(ILogger logger, string runId, string progress, int events, bool final, string previous, string decision, string applied);

    [LoggerMessage(3111, LogLevel.Warning, "Run {RunId}: progress {Sequence} applied before came from another execution of the run (a split brain); this execution's progress {Sequence} applied again")]
    public static partial void ProgressRepaired(ILogger logger, string runId, long sequence);

    [LoggerMessage(3113, LogLevel.Warning, "Run {RunId} step {StepUuid} attempt {Attempt}: its wait ended {Left} early (a timer of a killed host's episode); waiting the rest")]
    public static partial void TimerEarly(ILogger logger, string runId, string stepUuid, int attempt, TimeSpan left);

    [LoggerMessage(3114, LogLevel.Warning, "Run {RunId} step {StepUuid} attempt {Attempt}: its call got {Result}, another call's result (of a killed host's episode, under the same number); dispatched again")]
    public static partial void ResultOfAnotherCall(ILogger logger, string runId, string stepUuid, int attempt, string result);

    // Jobs: 3150-3179.
    [LoggerMessage(3150, LogLevel.Information, "Job {JobId} tick {Sequence} ({Key}) started {Runs} runs, {Skipped} missed ticks skipped before it")]
    public static partial void JobTickStarted(ILogger logger, string jobId, long sequence, string key, int runs, long skipped);

    [LoggerMessage(3151, LogLevel.Warning, "Job {JobId} tick {Sequence} ({Key}) started no runs: {Problems}")]
    public static partial void JobTickFailed(ILogger logger, string jobId, long sequence, string key, string problems);

    [LoggerMessage(3152, LogLevel.Information, "Job {JobId} skipped {Skipped} missed ticks up to {Handled}")]
    public static partial void JobTicksSkipped(ILogger logger, string jobId, long skipped, DateTimeOffset handled);

    [LoggerMessage(3153, LogLevel.Information, "Job {JobId} is {Status}")]
    public static partial void JobStatusChanged(ILogger logger, string jobId, string status);

    [LoggerMessage(3154, LogLevel.Information, "Job {JobId}: {Command} ignored ({Reason})")]
    public static partial void JobCommandIgnored(ILogger logger, string jobId, string command, string reason);

    [LoggerMessage(3155, LogLevel.Warning, "Job {JobId}: could not record its state ({Status}); the next tick records it")]
    public static partial void JobRecordFailed(ILogger logger, string jobId, string status, Exception exception);

    [LoggerMessage(3156, LogLevel.Warning, "Job {JobId}: its {Activity} call got {Result}, not its own (another call's, of a killed host's episode, under the same number); called again")]
    public static partial void JobResultOfAnotherCall(ILogger logger, string jobId, string activity, string result);

    [LoggerMessage(3158, LogLevel.Warning, "Job {JobId}: a late execution of its state write {Record} ({Status}) came after a later write of its orchestration; the later state is kept")]
    public static partial void JobRecordLate(ILogger logger, string jobId, long record, string status);

    [LoggerMessage(3157, LogLevel.Error, "Job {JobId}: its orchestration failed; the job ends FAILURE")]
    public static partial void JobFaulted(ILogger logger, string jobId, Exception exception);
}

namespace Orchest.Engine.Runs;

/// <summary>Event type names (stable: webhooks and clients match on them).</summary>
public static class RunEventTypes
{
    public const string RunCreated = "run.created";
    public const string RunStarted = "run.started";
    public const string RunSucceeded = "run.succeeded";
    public const string RunFailed = "run.failed";
    public const string RunAborted = "run.aborted";
    public const string RunCancelRequested = "run.cancel_requested";
    public const string StepStarted = "step.started";
    public const string StepSucceeded = "step.succeeded";
    public const string StepFailed = "step.failed";
    public const string StepRetrying = "step.retrying";
    public const string StepAborted = "step.aborted";
    public const string StepWorkerLost = "step.worker_lost";
}

namespace Orchest.Durable.Jobs;

/// <summary>What the API asks of a job's orchestration.</summary>
public enum JobCommandKind
{
    Pause,
    Resume,

    /// <summary>Start one tick's runs now, whatever the schedule (trigger-now).</summary>
    Trigger,

    /// <summary>The definition changed (schedule, parameters, ...): the new schedule applies from the next tick.</summary>
    Update,

    /// <summary>Abort the job's running runs and end the job ABORTED.</summary>
    Cancel,
}

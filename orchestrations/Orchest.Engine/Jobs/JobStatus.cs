namespace Orchest.Engine.Jobs;

/// <summary>Status of a job (Orchest's seven values). SUCCESS, FAILURE and ABORTED are final.</summary>
public enum JobStatus
{
    /// <summary>Created, not confirmed: nothing is scheduled.</summary>
    Draft,

    /// <summary>A one-off job waiting for its time.</summary>
    Pending,

    /// <summary>A cron job that is scheduling, or a one-off job whose runs started.</summary>
    Started,

    /// <summary>A cron job that starts no runs until resumed.</summary>
    Paused,

    /// <summary>A one-off job whose runs all ended and none failed.</summary>
    Success,

    /// <summary>A one-off job one of whose runs failed (or whose runs could not start).</summary>
    Failure,

    /// <summary>Cancelled.</summary>
    Aborted,
}

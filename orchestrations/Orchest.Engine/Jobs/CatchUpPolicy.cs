namespace Orchest.Engine.Jobs;

/// <summary>
/// What a cron job does with ticks no host could fire in time (every host was down longer than the
/// misfire threshold). Ticks late by less than the threshold are not missed: each still runs once.
/// </summary>
public enum CatchUpPolicy
{
    /// <summary>One run set for the newest missed tick; the others are counted as skipped (the default).</summary>
    Latest,

    /// <summary>Missed ticks are skipped (counted); the schedule resumes with the next tick.</summary>
    None,

    /// <summary>Every missed tick runs, oldest first, up to the job's catch-up limit (older ones are skipped).</summary>
    All,
}

namespace Orchest.Functions.Jobs;

/// <summary>How this installation schedules jobs (section <c>Orchest:Jobs</c>).</summary>
public sealed class JobOptions
{
    public const string Section = "Orchest:Jobs";

    /// <summary>
    /// A cron tick fired later than this was missed (every host was down) and follows the job's
    /// <c>catch_up</c> policy; ticks fired less late all run. Copied into each job when it is created or updated.
    /// </summary>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often a host with the timers role looks for confirmed jobs whose orchestration was never started (the
    /// host that recorded them died first), and how long a job keeps its first state before it is looked at.
    /// </summary>
    public TimeSpan OrphanCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Ticks of history <c>GET /api/jobs/{job}</c> shows.</summary>
    public int HistoryShown { get; set; } = 20;

    /// <summary>Every problem with these options, each saying what to set; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MisfireThreshold < TimeSpan.FromSeconds(1))
        {
            problems.Add($"{Section}:MisfireThreshold must be at least 00:00:01.");
        }

        if (OrphanCheckInterval < TimeSpan.FromSeconds(1))
        {
            problems.Add($"{Section}:OrphanCheckInterval must be at least 00:00:01.");
        }

        if (HistoryShown is < 0 or > 1000)
        {
            problems.Add($"{Section}:HistoryShown must be between 0 and 1000.");
        }

        return problems;
    }
}

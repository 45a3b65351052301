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

        if (HistoryShown is < 0 or > 1000)
        {
            problems.Add($"{Section}:HistoryShown must be between 0 and 1000.");
        }

        return problems;
    }
}

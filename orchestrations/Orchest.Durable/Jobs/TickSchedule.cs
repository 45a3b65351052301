using Cronos;
using Orchest.Engine.Jobs;

namespace Orchest.Durable.Jobs;

/// <summary>
/// The ticks of a <see cref="JobSchedule"/>: a cron expression's occurrences in its time zone (daylight
/// saving time handled as Vixie cron does, by Cronos), or the one time of a one-off job.
/// </summary>
public sealed class TickSchedule
{
    private readonly CronExpression? _cron;
    private readonly TimeZoneInfo _zone;
    private readonly DateTimeOffset? _once;

    private TickSchedule(CronExpression? cron, TimeZoneInfo zone, DateTimeOffset? once)
    {
        _cron = cron;
        _zone = zone;
        _once = once;
    }

    public bool IsCron => _cron is not null;

    /// <summary>
    /// Reads a schedule; every problem (a bad cron string, an unknown time zone, both a cron and a start
    /// time, a cron that never fires) is added to <paramref name="problems"/>. A one-off job without a time
    /// runs at <paramref name="now"/>.
    /// </summary>
    public static TickSchedule? Read(JobSchedule schedule, DateTimeOffset now, ICollection<string> problems)
    {
        var before = problems.Count;
        var zone = TimeZoneInfo.Utc;
        if (schedule.TimeZone is { } id && !TryFindZone(id, out zone))
        {
            problems.Add($"\"time_zone\" \"{id}\" is not a known time zone (use an IANA name such as \"Europe/Berlin\" or \"UTC\").");
        }

        if (schedule.Cron is not null && schedule.StartAt is not null)
        {
            problems.Add("Give either \"cron\" (a recurring job) or \"start_at\" (a one-off job), not both.");
        }

        if (schedule.Cron is null && schedule.TimeZone is not null)
        {
            problems.Add("\"time_zone\" applies to \"cron\" only; a one-off job's \"start_at\" carries its own offset.");
        }

        if (schedule.CatchUpLimit < 1)
        {
            problems.Add("\"catch_up_limit\" must be at least 1.");
        }

        CronExpression? cron = null;
        if (schedule.Cron is { } text && !TryParseCron(text, out cron, out var error))
        {
            problems.Add($"\"cron\" \"{text}\" is not a valid cron expression: {error}");
        }

        if (problems.Count > before)
        {
            return null;
        }

        var parsed = new TickSchedule(cron, zone, cron is null ? schedule.StartAt ?? now : null);
        if (cron is not null && parsed.Next(now) is null)
        {
            problems.Add($"\"cron\" \"{schedule.Cron}\" never fires.");
            return null;
        }

        return parsed;
    }

    /// <summary>Reads a schedule already accepted (a stored job's); throws when it no longer reads.</summary>
    public static TickSchedule Of(JobSchedule schedule, DateTimeOffset created)
    {
        var problems = new List<string>();
        return Read(schedule, created, problems)
               ?? throw new InvalidOperationException($"The job's schedule cannot be read: {string.Join(" ", problems)}");
    }

    /// <summary>The first tick strictly after <paramref name="after"/>; null when there is none.</summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        if (_cron is null)
        {
            return _once > after ? _once : null;
        }

        return _cron.GetNextOccurrence(after.UtcDateTime, _zone) is { } next ? new DateTimeOffset(next, TimeSpan.Zero) : null;
    }

    /// <summary>Ticks in (<paramref name="after"/>, <paramref name="until"/>], oldest first, at most <paramref name="limit"/> of them.</summary>
    public IEnumerable<DateTimeOffset> Between(DateTimeOffset after, DateTimeOffset until, int limit)
    {
        var count = 0;
        for (var tick = Next(after); tick is { } t && t <= until && count < limit; tick = Next(t))
        {
            count++;
            yield return t;
        }
    }

    private static bool TryParseCron(string text, out CronExpression? cron, out string error)
    {
        cron = null;
        error = "";
        var trimmed = text.Trim();
        var fields = trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (1 or 5 or 6))
        {
            error = $"it has {fields} fields; use 5 (minute hour day-of-month month day-of-week) or 6 (seconds first), or a macro such as @hourly.";
            return false;
        }

        try
        {
            cron = CronExpression.Parse(trimmed, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            return true;
        }
        catch (CronFormatException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    private static bool TryFindZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }
}

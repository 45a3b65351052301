using System.Globalization;
using Azure.Data.Tables;
using Orchest.Engine.Jobs;
using Orchest.Engine.Runs;

namespace Orchest.Storage.Azure.Tables;

/// <summary>
/// The rows of a job's partition (PartitionKey = job id): <c>def</c> (the definition, written by the API),
/// <c>state</c> (written by the job's orchestration), <c>tick~&lt;inverted sequence&gt;</c> (history, newest
/// first) and <c>run~&lt;inverted tick&gt;~&lt;index&gt;</c> (the runs it started, newest first); plus one row per
/// job in its project's listing partition (<c>project~&lt;project&gt;</c>).
/// </summary>
internal static class JobRows
{
    public const string DefinitionKey = "def";
    public const string StateKey = "state";
    public const string TickPrefix = "tick~";
    public const string RunPrefix = "run~";
    public const string ProjectPrefix = "project~";

    /// <summary>Upper bound of the run rows ("run~" &lt; every run key &lt; "run\u007f").</summary>
    public const string RunUpperBound = "run\u007f";

    public const string TickUpperBound = "tick\u007f";

    /// <summary>
    /// Column of a definition row written by a request (created, updated) whose job events are not published
    /// yet: "created &lt;status&gt; &lt;time&gt;" or "updated". Removed once they are; a request that died in between
    /// leaves it, and the job's next recorded change publishes them, or the timers host's repair does
    /// (<see cref="TableJobStore.AnnounceAsync"/>).
    /// </summary>
    public const string Unannounced = "unannounced";

    /// <summary>
    /// Column of a definition row, written with the state row by <see cref="TableJobStore.ApplyRequestedAsync"/>:
    /// the status change a request made (a <see cref="JobProgress"/> document) while its events are not published.
    /// </summary>
    public const string Requested = "requested";

    public const string Status = "status";

    /// <summary>Column of the state row: the orchestration's write that recorded it (<see cref="JobState.Record"/>; missing on rows of older hosts: 0).</summary>
    public const string Record = "record";
    public const string Project = "project";
    public const string RunId = "run";
    public const string Final = "final";

    /// <summary>Column of a tick row: the tick's key (also in its document), so a tick can be found by it.</summary>
    public const string Key = "key";

    /// <summary>
    /// Column of a tick row: whether the state's counters include the tick (false while it is only reserved;
    /// missing on rows of older hosts, whose writers counted it themselves: taken as counted).
    /// </summary>
    public const string Counted = "counted";

    private const long Inversion = 999_999_999_999;

    public static string TickKey(long sequence) => TickPrefix + Inverted(sequence);

    public static string RunKey(long tick, int index) =>
        RunPrefix + Inverted(tick) + "~" + index.ToString("D5", CultureInfo.InvariantCulture);

    /// <param name="definition">The job's definition.</param>
    /// <param name="unannounced">The change whose events are not published yet (<see cref="Unannounced"/>), or null.</param>
    /// <param name="requested">The requested status change whose events are not published yet (<see cref="Requested"/>), or null.</param>
    public static TableEntity DefinitionRow(JobDefinition definition, string? unannounced = null, string? requested = null)
    {
        var entity = new TableEntity(definition.Id, DefinitionKey) { [Project] = definition.ProjectId };
        if (unannounced is not null)
        {
            entity[Unannounced] = unannounced;
        }

        if (requested is not null)
        {
            entity[Requested] = requested;
        }

        RowColumns.WriteDocument(entity, RecordJson.Serialize(definition with { ETag = "" }));
        return entity;
    }

    public static TableEntity StateRow(string jobId, JobState state)
    {
        var entity = new TableEntity(jobId, StateKey) { [Status] = state.Status.ToWire(), [Record] = state.Record };
        RowColumns.WriteDocument(entity, RecordJson.Serialize(state));
        return entity;
    }

    public static TableEntity TickRow(string jobId, JobTick tick, bool counted)
    {
        var entity = new TableEntity(jobId, TickKey(tick.Sequence)) { [Key] = tick.Key, [Counted] = counted };
        RowColumns.WriteDocument(entity, RecordJson.Serialize(tick));
        return entity;
    }

    /// <summary>Whether a stored tick row is in the state's counters (<see cref="Counted"/>).</summary>
    public static bool IsCounted(TableEntity tickRow) => tickRow.GetBoolean(Counted) ?? true;

    /// <summary>
    /// The counters of <paramref name="state"/> as the stored state has them, plus <paramref name="tick"/> when
    /// it is not counted yet: the counters are the store's, summed over the ticks as they are recorded, whoever
    /// records them (the job's orchestration, a push's tick, a request), so no writer's copy can undo another's.
    /// </summary>
    public static JobState WithCounters(JobState state, JobState? stored, JobTick? tick) =>
        stored is null && tick is null ? state : state with
        {
            Ticks = Math.Max(stored?.Ticks ?? 0, tick?.Sequence ?? 0),
            Runs = (stored?.Runs ?? 0) + (tick?.RunIds.Count ?? 0),
            SkippedTicks = (stored?.SkippedTicks ?? 0) + (tick?.Skipped ?? 0),
        };

    public static TableEntity RunRow(string jobId, JobRunEntry run) =>
        new(jobId, RunKey(run.Tick, run.Index)) { [RunId] = run.RunId, [Final] = run.Final?.ToWire() };

    public static TableEntity ProjectRow(string projectId, string jobId) => new(ProjectPrefix + projectId, jobId);

    public static JobDefinition ReadDefinition(TableEntity row) =>
        RecordJson.Deserialize<JobDefinition>(RowColumns.ReadDocument(row)) with { ETag = row.ETag.ToString() };

    /// <summary>Whether a definition row carries changes whose events are not published yet.</summary>
    public static bool IsMarked(TableEntity definitionRow) =>
        !string.IsNullOrEmpty(definitionRow.GetString(Unannounced)) || !string.IsNullOrEmpty(definitionRow.GetString(Requested));

    public static JobState ReadState(TableEntity row) => RecordJson.Deserialize<JobState>(RowColumns.ReadDocument(row));

    public static JobTick ReadTick(TableEntity row) => RecordJson.Deserialize<JobTick>(RowColumns.ReadDocument(row));

    public static JobRunEntry ReadRun(TableEntity row)
    {
        var key = row.RowKey[RunPrefix.Length..];
        var separator = key.IndexOf('~', StringComparison.Ordinal);
        return new JobRunEntry(
            row.GetString(RunId) ?? "",
            Inversion - long.Parse(key[..separator], CultureInfo.InvariantCulture),
            int.Parse(key[(separator + 1)..], CultureInfo.InvariantCulture),
            ExecutionStatusText.TryParse(row.GetString(Final) ?? "", out var final) ? final : null);
    }

    private static string Inverted(long sequence) => (Inversion - sequence).ToString("D12", CultureInfo.InvariantCulture);
}

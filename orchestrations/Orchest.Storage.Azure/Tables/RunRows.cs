using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Orchest.Engine.Runs;

namespace Orchest.Storage.Azure.Tables;

/// <summary>
/// The rows of a run's partition (PartitionKey = run id): <c>run</c>, <c>step~&lt;uuid&gt;</c> (ordered by
/// column <c>i</c>, the run graph's topological position) and <c>evt~&lt;10-digit sequence&gt;</c>.
/// Events sort before <c>run</c>, steps after it, so one range query reads a run without its events.
/// </summary>
internal static class RunRows
{
    public const string RunKey = "run";
    public const string StepPrefix = "step~";
    public const string EventPrefix = "evt~";

    /// <summary>Upper bound of event row keys ("evt~" &lt; every event key &lt; "evu").</summary>
    public const string EventUpperBound = "evu";

    public const string Status = "status";
    public const string Project = "project";
    public const string Pipeline = "pipeline";
    public const string NextEvent = "next_event";
    public const string Intent = "intent";
    public const string IntentBatch = "intent_batch";
    public const string Order = "i";

    /// <summary>
    /// Change sequence: on the run row, the number of transitions committed so far (every transition's
    /// run-row update increments it); on a step row, the sequence of the transition that last wrote it.
    /// Rows written before the column existed read as 0, which forces a full read (see GetAsync).
    /// </summary>
    public const string Sequence = "cs";

    public static string StepKey(string uuid) => StepPrefix + uuid;

    public static string EventKey(long sequence) => EventPrefix + sequence.ToString("D10", CultureInfo.InvariantCulture);

    public static TableEntity RunRow(RunRecord run, long nextEvent, long sequence, string? intent = null, int intentBatch = 0)
    {
        var entity = new TableEntity(run.Id, RunKey)
        {
            [Status] = run.Status.ToWire(),
            [Project] = run.ProjectId,
            [Pipeline] = run.PipelinePath,
            [NextEvent] = nextEvent,
            [Sequence] = sequence,
        };
        if (intent is not null)
        {
            entity[Intent] = intent;
            entity[IntentBatch] = intentBatch;
        }

        RowColumns.WriteDocument(entity, RecordJson.Serialize(run with { Version = "" }));
        return entity;
    }

    public static TableEntity StepRow(string runId, StepRecord step, int order, long sequence)
    {
        var entity = new TableEntity(runId, StepKey(step.Uuid)) { [Order] = order, [Sequence] = sequence };
        RowColumns.WriteDocument(entity, RecordJson.Serialize(step with { Version = "" }));
        return entity;
    }

    public static TableEntity EventRow(RunEvent runEvent, long sequence)
    {
        var entity = new TableEntity(runEvent.RunId, EventKey(sequence));
        RowColumns.WriteDocument(entity, RecordJson.Serialize(runEvent));
        return entity;
    }

    public static RunRecord ReadRun(TableEntity entity) =>
        RecordJson.Deserialize<RunRecord>(RowColumns.ReadDocument(entity)) with { Version = entity.ETag.ToString() };

    public static StepRecord ReadStep(TableEntity entity) =>
        RecordJson.Deserialize<StepRecord>(RowColumns.ReadDocument(entity)) with { Version = entity.ETag.ToString() };

    public static RunEvent ReadEvent(TableEntity entity) => RecordJson.Deserialize<RunEvent>(RowColumns.ReadDocument(entity));

    public static int ReadOrder(TableEntity entity) => entity.GetInt32(Order) ?? int.MaxValue;

    public static long ReadNextEvent(TableEntity entity) => entity.GetInt64(NextEvent) ?? 0;

    public static string? ReadIntent(TableEntity entity) => entity.GetString(Intent) is { Length: > 0 } id ? id : null;

    public static long ReadSequence(TableEntity entity) => entity.GetInt64(Sequence) ?? 0;

    public static int ReadIntentBatch(TableEntity entity) => entity.GetInt32(IntentBatch) ?? 0;

    public static ETag ToETag(string version) => new(version);
}

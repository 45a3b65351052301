using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Orchest.Engine.Runs;

namespace Orchest.Storage.Azure.Tables;

/// <summary>
/// The rows of a run's partition (PartitionKey = run id): <c>run</c>, <c>step~&lt;uuid&gt;</c> (ordered by
/// column <c>i</c>, the run graph's topological position), <c>xec~&lt;uuid&gt;~&lt;attempt&gt;</c> (a host began
/// that attempt) and <c>evt~&lt;10-digit sequence&gt;</c>. Events sort before <c>run</c>, steps and attempts
/// after it, so one range query reads a run without its events.
/// </summary>
internal static class RunRows
{
    public const string RunKey = "run";
    public const string StepPrefix = "step~";
    public const string EventPrefix = "evt~";
    public const string AttemptPrefix = "xec~";

    /// <summary>Upper bound of event row keys ("evt~" &lt; every event key &lt; "evu").</summary>
    public const string EventUpperBound = "evu";

    public const string Status = "status";
    public const string Project = "project";
    public const string Pipeline = "pipeline";
    public const string Order = "i";

    /// <summary>On the run row: set when a cancel was asked for (hosts stop the run's steps on seeing it).</summary>
    public const string Cancel = "cancel";

    /// <summary>On the run row: the sequence of the last progress of the run's orchestration written (0: as created).</summary>
    public const string Sequence = "cs";

    /// <summary>On an attempt row: the host that began it and when.</summary>
    public const string Host = "host";
    public const string Started = "started";

    public static string StepKey(string uuid) => StepPrefix + uuid;

    public static string EventKey(long sequence) => EventPrefix + sequence.ToString("D10", CultureInfo.InvariantCulture);

    public static string AttemptKey(string stepUuid, int attempt) =>
        AttemptPrefix + stepUuid + "~" + attempt.ToString("D4", CultureInfo.InvariantCulture);

    public static TableEntity RunRow(RunRecord run, long sequence)
    {
        var entity = new TableEntity(run.Id, RunKey)
        {
            [Status] = run.Status.ToWire(),
            [Project] = run.ProjectId,
            [Pipeline] = run.PipelinePath,
            [Sequence] = sequence,
        };
        RowColumns.WriteDocument(entity, RecordJson.Serialize(run with { Version = "" }));
        return entity;
    }

    public static TableEntity StepRow(string runId, StepRecord step, int order, long sequence)
    {
        var entity = new TableEntity(runId, StepKey(step.Uuid)) { [Order] = order, [Sequence] = sequence };
        RowColumns.WriteDocument(entity, RecordJson.Serialize(step with { Version = "" }));
        return entity;
    }

    public static TableEntity EventRow(RunEvent runEvent)
    {
        var entity = new TableEntity(runEvent.RunId, EventKey(runEvent.Sequence));
        RowColumns.WriteDocument(entity, RecordJson.Serialize(runEvent));
        return entity;
    }

    public static RunRecord ReadRun(TableEntity entity) =>
        RecordJson.Deserialize<RunRecord>(RowColumns.ReadDocument(entity)) with { Version = entity.ETag.ToString() };

    public static StepRecord ReadStep(TableEntity entity) =>
        RecordJson.Deserialize<StepRecord>(RowColumns.ReadDocument(entity)) with { Version = entity.ETag.ToString() };

    public static RunEvent ReadEvent(TableEntity entity) => RecordJson.Deserialize<RunEvent>(RowColumns.ReadDocument(entity));

    public static int ReadOrder(TableEntity entity) => entity.GetInt32(Order) ?? int.MaxValue;

    public static long ReadSequence(TableEntity entity) => entity.GetInt64(Sequence) ?? 0;

    public static ETag ToETag(string version) => new(version);
}

using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Orchest.Chaos.Trials;
using Orchest.Testing.Served;

namespace Orchest.Chaos.Checks;

/// <summary>
/// Reads what a trial's runs became once they ended, the way a user and an operator would: statuses,
/// committed outputs and logs through the API (from whichever host is alive), events, committed output
/// sets and attempt rows from storage, and the output blobs with their LATEST and COMMITTED pointers.
/// </summary>
public sealed class RunObserver(ChaosApi api, StorageInspector storage, string projectId)
{
    private const string LatestBlob = "LATEST";
    private const string HistoryBlob = "COMMITTED";

    /// <summary>
    /// How long the output pointers may lag behind a run's end: the projection entity writes a run's rows
    /// (what the API shows as ended) before it commits the accepted output sets (LATEST, then COMMITTED).
    /// A pointer still missing after this is a commit that never landed.
    /// </summary>
    private static readonly TimeSpan CommitSettle = TimeSpan.FromSeconds(15);

    /// <summary>The runs of the trial: those it started (with an id) and those its project lists.</summary>
    public async Task<IReadOnlyList<ObservedRun>> ObserveAsync(
        IReadOnlyList<SubmittedRun> submitted, IReadOnlyCollection<string> listed, CancellationToken cancellationToken)
    {
        var blobs = await OutputBlobsAsync();
        var attempts = (await storage.EntitiesAsync("orchestruns"))
            .Where(e => e.RowKey.StartsWith("xec~", StringComparison.Ordinal))
            .ToList();
        var ids = submitted.Select(s => s.RunId).OfType<string>().Union(listed, StringComparer.Ordinal).ToList();
        var observed = new List<ObservedRun>();
        foreach (var id in ids)
        {
            observed.Add(await ObserveAsync(id, submitted, listed.Contains(id), blobs, attempts, cancellationToken));
        }

        var deadline = DateTime.UtcNow + CommitSettle;
        while (observed.Any(Unsettled) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            blobs = await OutputBlobsAsync();
            observed = [.. observed.Select(run => run with { Steps = [.. run.Steps.Select(step => WithPointers(step, Prefix(run.PipelineUuid, step.Uuid), blobs))] })];
        }

        return observed;
    }

    /// <summary>A succeeded step whose pointers do not (yet) name its committed set (a run sharing its pipeline has no pointers of its own).</summary>
    private static bool Unsettled(ObservedRun run) =>
        !run.SharesItsPipeline && run.Steps.Any(s => s.Status == "SUCCESS" && s.OutputSet is { } set && (s.Latest != set || !s.Committed.Contains(set)));

    /// <summary>Where a step's output sets and pointers are (BlobArtifactStore's layout).</summary>
    private string Prefix(string? pipelineUuid, string stepUuid) => $"outputs/{projectId}/{pipelineUuid}/{stepUuid}/";

    private async Task<Dictionary<string, string>> OutputBlobsAsync() =>
        (await storage.AllBlobsAsync($"outputs/{projectId}/")).ToDictionary(b => b.Name, b => Encoding.UTF8.GetString(b.Content), StringComparer.Ordinal);

    /// <summary>The step's LATEST and COMMITTED pointers and the output sets present under its prefix.</summary>
    private static ObservedStep WithPointers(ObservedStep step, string prefix, IReadOnlyDictionary<string, string> blobs) => step with
    {
        Latest = blobs.GetValueOrDefault(prefix + LatestBlob)?.Trim(),
        // Its committed sets, one per line; lines "pin <set> <run>" are runs reading a set, not sets.
        Committed = blobs.GetValueOrDefault(prefix + HistoryBlob)?.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith("pin ", StringComparison.Ordinal)).ToList() ?? [],
        SetsPresent = [.. blobs.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && k.IndexOf('/', prefix.Length) > 0)
            .Select(k => k[prefix.Length..k.IndexOf('/', prefix.Length)]).Distinct(StringComparer.Ordinal)],
    };

    private async Task<ObservedRun> ObserveAsync(
        string runId, IReadOnlyList<SubmittedRun> submitted, bool listed, IReadOnlyDictionary<string, string> blobs,
        IReadOnlyList<TableEntity> attemptRows, CancellationToken cancellationToken)
    {
        var answer = await api.GetAsync($"api/runs/{runId}", cancellationToken);
        var run = answer.Status == HttpStatusCode.OK ? answer.Body?.AsObject() : null;
        var pipeline = (string?)run?["pipeline"];
        var mine = submitted.FirstOrDefault(s => s.RunId == runId) ?? submitted.FirstOrDefault(s => s.Plan.PipelinePath == pipeline);
        var projection = storage.Runs();
        var events = await projection.GetEventsAsync(runId, cancellationToken: cancellationToken);
        var stored = await projection.GetAsync(runId, cancellationToken);
        var steps = new List<ObservedStep>();
        foreach (var node in run?["steps"]?.AsArray() ?? [])
        {
            var (uuid, title) = ((string)node!["uuid"]!, (string)node["title"]!);
            var prefix = Prefix((string?)run!["pipeline_uuid"], uuid);
            var step = WithPointers(new ObservedStep(uuid, title, (string)node["status"]!, (int)node["attempt"]!, (string?)node["message"], mine?.Plan.Steps.FirstOrDefault(s => s.Title == title))
            {
                OutputSet = stored?.FindStep(uuid)?.OutputSet,
                AttemptHosts = attemptRows
                    .Where(e => e.PartitionKey == runId && e.RowKey.StartsWith($"xec~{uuid}~", StringComparison.Ordinal))
                    .ToDictionary(e => int.Parse(e.RowKey[(e.RowKey.LastIndexOf('~') + 1)..], CultureInfo.InvariantCulture), e => e.GetString("host") ?? "?"),
            }, prefix, blobs);
            if (step.Status == "SUCCESS")
            {
                step = step with
                {
                    Output = await OutputAsync(runId, uuid, "t_" + title, cancellationToken),
                    Log = await api.GetTextAsync($"api/runs/{runId}/steps/{uuid}/logs", cancellationToken),
                };
            }

            steps.Add(step);
        }

        return new ObservedRun(runId, mine?.Plan, mine)
        {
            Status = (string?)run?["status"],
            Answer = answer,
            PipelineUuid = (string?)run?["pipeline_uuid"],
            Pipeline = pipeline,
            Commit = (string?)run?["commit"],
            Created = (DateTimeOffset?)run?["created"],
            Finished = (DateTimeOffset?)run?["finished"],
            Listed = listed,
            Steps = steps,
            Events = events,
        };
    }

    private async Task<StepOutput> OutputAsync(string runId, string stepUuid, string name, CancellationToken cancellationToken)
    {
        var answer = await api.GetAsync($"api/runs/{runId}/steps/{stepUuid}/outputs/{name}", cancellationToken);
        if (answer.Status != HttpStatusCode.OK || answer.Body is not JsonObject output)
        {
            return StepOutput.Unreadable($"GET output {name}: {answer.Outcome} {answer.Error ?? answer.Body?.ToJsonString()}");
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (parent, token) in output["seen"]?.AsObject() ?? [])
        {
            seen[parent] = (string?)token ?? "";
        }

        return new StepOutput((string?)output["token"], seen, null);
    }
}

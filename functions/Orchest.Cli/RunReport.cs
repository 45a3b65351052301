using System.Text.Json;
using System.Text.Json.Nodes;
using Orchest.Engine.Embedded;
using Orchest.Engine.Runs;

namespace Orchest.Cli;

/// <summary>The final run record (<c>--json</c> output and <c>.orchest/runs/&lt;id&gt;/run.json</c>) and the text summary.</summary>
internal static class RunReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonObject ToJson(RunSnapshot snapshot, LocalArtifactStore artifacts)
    {
        var record = Record(snapshot, artifacts);
        if (snapshot.Run.JobParameters is { } parameters)
        {
            // A run of --grid or --params-file: its set, steps by uuid.
            record["parameters"] = parameters.DeepClone();
        }

        return record;
    }

    private static JsonObject Record(RunSnapshot snapshot, LocalArtifactStore artifacts) => new()
    {
        ["id"] = snapshot.Run.Id,
        ["status"] = snapshot.Run.Status.ToWire(),
        ["pipeline"] = snapshot.Run.PipelinePath,
        ["pipeline_uuid"] = snapshot.Run.PipelineUuid,
        ["pipeline_name"] = snapshot.Run.PipelineName,
        ["run_type"] = snapshot.Run.RunType.ToString().ToLowerInvariant(),
        ["created"] = snapshot.Run.Created,
        ["started"] = snapshot.Run.Started,
        ["finished"] = snapshot.Run.Finished,
        ["steps"] = new JsonArray(snapshot.Steps.Select(s => (JsonNode)new JsonObject
        {
            ["uuid"] = s.Uuid,
            ["title"] = s.Title,
            ["file_path"] = s.FilePath,
            ["status"] = s.Status.ToWire(),
            ["attempt"] = s.Attempt,
            ["started"] = s.Started,
            ["finished"] = s.Finished,
            ["exit_code"] = s.ExitCode,
            ["message"] = s.Message,
            ["log"] = artifacts.LogPath(snapshot.Run.Id, snapshot.Run.PipelineUuid, s.Uuid),
        }).ToArray()),
    };

    public static string Serialize(JsonNode record) => record.ToJsonString(Indented);

    /// <summary>
    /// The end of a run for people: its status, each step's, and for each failed step its exit code
    /// and where its log is. Log lines already streamed to the console are not printed again; with
    /// <c>--quiet</c> the failed steps' last lines are.
    /// </summary>
    public static void WriteSummary(RunSnapshot snapshot, LocalArtifactStore artifacts, RunProgress progress)
    {
        var run = snapshot.Run;
        var colour = run.Status == ExecutionStatus.Success ? Ansi.Green : Ansi.Red;
        progress.Write("");
        progress.Write(progress.Colours
            ? $"{Ansi.Bold}Run {run.Id} {colour}{run.Status.ToWire()}{Ansi.Reset} in {Durations.Between(run.Started, run.Finished)} ({run.PipelinePath})"
            : $"Run {run.Id} {run.Status.ToWire()} in {Durations.Between(run.Started, run.Finished)} ({run.PipelinePath})");
        var width = snapshot.Steps.Max(s => s.Title.Length);
        foreach (var step in snapshot.Steps)
        {
            progress.Write($"  {step.Status.ToWire(),-8} {step.Title.PadRight(width)}  {Durations.Between(step.Started, step.Finished)}");
        }

        foreach (var failed in snapshot.Steps.Where(s => s.Status == ExecutionStatus.Failure))
        {
            var path = artifacts.LogPath(run.Id, run.PipelineUuid, failed.Uuid);
            progress.Write("");
            progress.Write($"{Failure(failed)}. Its log: {path}");
            if (progress.ShowsLogs)
            {
                continue;
            }

            if (failed.Message is { } message && !message.StartsWith("exited with code", StringComparison.Ordinal))
            {
                progress.Write($"  {message}");
            }

            progress.Write("Last lines of its log:");
            foreach (var line in Tail(path, 20))
            {
                progress.Write($"  {line}");
            }
        }
    }

    private static string Failure(StepRecord step)
    {
        var attempts = step.Attempt > 1 ? $" (attempt {step.Attempt})" : "";
        return step.ExitCode is { } code
            ? $"Step \"{step.Title}\" failed with exit code {code}{attempts}"
            : $"Step \"{step.Title}\" failed{attempts}: {step.Message}";
    }

    private static IEnumerable<string> Tail(string path, int count)
    {
        if (!File.Exists(path))
        {
            return ["(no log)"];
        }

        var lines = File.ReadAllLines(path);
        return lines.Skip(Math.Max(0, lines.Length - count));
    }
}

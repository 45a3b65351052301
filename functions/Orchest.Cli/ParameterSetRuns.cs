using System.Text.Json.Nodes;
using Orchest.Engine.Execution;
using Orchest.Engine.Projects;
using Orchest.Engine.Runs;
using Orchest.Engine.Scheduling;
using Orchest.Pipelines;
using Orchest.Pipelines.Parameters;

namespace Orchest.Cli;

/// <summary>
/// <c>orchest run --grid</c> / <c>--params-file</c>: one run per parameter set (the jobs' parameter model, the
/// same sets a served job would start per tick), all at once on this machine sharing its step slots, then a
/// table of the sets and how each run ended.
/// </summary>
internal sealed class ParameterSetRuns(IReadOnlyList<RunPlan> plans, PipelineDefinition pipeline, TextWriter writer) : IRunObserver
{
    private readonly Lock _gate = new();
    private int _ended;

    /// <summary>Reads the sets of a <c>--params-file</c> or <c>--grid</c> file (null when neither is given or on problems).</summary>
    public static JobParameters? Read(string? paramsFile, string? gridFile, CliProblems problems)
    {
        if (paramsFile is null && gridFile is null)
        {
            return null;
        }

        var list = paramsFile is null ? null : ReadJson(paramsFile, "--params-file", problems);
        var grid = gridFile is null ? null : ReadJson(gridFile, "--grid", problems);
        if (problems.Any)
        {
            return null;
        }

        var messages = new List<string>();
        var parameters = JobParameters.Read(list, grid, messages, "--params-file", "--grid");
        problems.AddRange(messages);
        return parameters;
    }

    /// <summary>A run per set: the pipeline with the set's parameters, the set recorded with the run.</summary>
    public static IReadOnlyList<RunPlan>? Plan(JobParameters parameters, RunRequest request, PipelineDefinition pipeline, RunGraph graph, CliProblems problems)
    {
        var messages = new List<string>();
        var bound = parameters.Bind(pipeline, messages);
        problems.AddRange(messages);
        var now = DateTimeOffset.UtcNow;
        return bound?.Select(set => RunPlanner.Plan(request with { JobRunIndex = set.Index, JobParameters = set.Parameters }, set.Pipeline, graph, now)).ToList();
    }

    public void OnCommitted(RunTransition transition)
    {
        var run = transition.Run;
        if (!run.Status.IsTerminal() || transition.Before.Run.Status.IsTerminal())
        {
            return;
        }

        lock (_gate)
        {
            _ended++;
            writer.WriteLine($"[{_ended}/{plans.Count}] set {run.JobRunIndex}: {run.Status.ToWire()} in {Durations.Between(run.Started, run.Finished)} (run {run.Id})");
            writer.Flush();
        }
    }

    /// <summary>The sets and their outcomes, one row per run in set order, a count per status, and where failed steps' logs are.</summary>
    public void WriteTable(IReadOnlyList<RunSnapshot> runs, Orchest.Engine.Embedded.LocalArtifactStore artifacts)
    {
        var rows = runs.Select(r => (
            Index: r.Run.JobRunIndex?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
            Status: r.Run.Status.ToWire(),
            Time: Durations.Between(r.Run.Started, r.Run.Finished),
            Parameters: Describe(r.Run.JobParameters))).ToList();
        var time = Math.Max(4, rows.Max(r => r.Time.Length));
        writer.WriteLine();
        writer.WriteLine($"{"set",3}  {"status",-8}  {"time".PadRight(time)}  parameters");
        foreach (var row in rows)
        {
            writer.WriteLine($"{row.Index,3}  {row.Status,-8}  {row.Time.PadRight(time)}  {row.Parameters}");
        }

        writer.WriteLine();
        writer.WriteLine($"{runs.Count} runs: " + string.Join(", ", runs.GroupBy(r => r.Run.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToWire()}")));
        foreach (var run in runs)
        {
            foreach (var step in run.Steps.Where(s => s.Status == ExecutionStatus.Failure))
            {
                writer.WriteLine($"set {run.Run.JobRunIndex}: step \"{step.Title}\" failed ({step.Message}). Its log: {artifacts.LogPath(run.Run.Id, run.Run.PipelineUuid, step.Uuid)}");
            }
        }
    }

    /// <summary>"n=1, Train.rate=0.1": pipeline parameters by name, step parameters by step title.</summary>
    private string Describe(JsonObject? parameters)
    {
        if (parameters is null || parameters.Count == 0)
        {
            return "(the pipeline's own)";
        }

        var parts = new List<string>();
        foreach (var (scope, values) in parameters)
        {
            var prefix = scope == ParameterSet.PipelineKey ? "" : (pipeline.GetStep(scope)?.Title ?? scope) + ".";
            if (values is JsonObject byName && byName.Count > 0)
            {
                parts.AddRange(byName.Select(v => $"{prefix}{v.Key}={v.Value?.ToJsonString() ?? "null"}"));
            }
            else
            {
                parts.Add(scope == ParameterSet.PipelineKey ? "(no pipeline parameters)" : $"{prefix}(none)");
            }
        }

        return string.Join(", ", parts);
    }

    private static JsonNode? ReadJson(string path, string option, CliProblems problems)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) ?? throw new System.Text.Json.JsonException("the file holds null");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{option}: cannot read \"{path}\": {ex.Message}");
        }
        catch (System.Text.Json.JsonException ex)
        {
            problems.Add($"{option}: \"{path}\" is not valid JSON: {ex.Message}");
        }

        return null;
    }

    /// <summary>Writes each run's record where single runs write theirs (run.json under .orchest/runs/&lt;run&gt;/).</summary>
    public static async Task RecordAsync(IReadOnlyList<RunSnapshot> runs, ProjectFolder project, Orchest.Engine.Embedded.LocalArtifactStore artifacts)
    {
        foreach (var run in runs)
        {
            var record = RunReport.ToJson(run, artifacts);
            await AtomicFile.WriteAllTextAsync(Path.Combine(project.OrchestDirectory, "runs", run.Run.Id, "run.json"), RunReport.Serialize(record));
        }
    }
}

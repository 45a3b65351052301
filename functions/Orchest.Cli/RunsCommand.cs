using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Orchest.Cli;

/// <summary><c>orchest runs &lt;project-dir&gt;</c>: the runs recorded on this machine, newest first.</summary>
internal sealed class RunsCommand : IOrchestCommand
{
    private readonly ProjectOptions _project = new();
    private readonly Option<int> _limit = new("--limit", "-n") { HelpName = "n", Description = "Show at most this many runs (0 = all).", DefaultValueFactory = _ => 20 };
    private readonly Option<bool> _json = new("--json") { Description = "Print the run records (as orchest run --json prints one) as a JSON array." };

    public RunsCommand()
    {
        Command = new Command("runs", "List the runs of a project on this machine, newest first, with the failed steps.");
        _project.AddTo(Command);
        Command.Add(_limit);
        Command.Add(_json);
        _project.Pipeline.Description = "Only runs of this pipeline file, relative to the project folder.";
    }

    public Command Command { get; }

    public IReadOnlyList<HelpSection> Help { get; } =
    [
        new("Output", [
            "One line per run: its id, status, start (local time), duration, pipeline and what failed. "
            + "A run without a status has no record yet: it is running, or orchest was killed before it ended. "
            + "Records are <project>/.orchest/runs/<run>/run.json.",
        ]),
        HelpSection.Examples("orchest runs samples/quickstart", "orchest runs . --pipeline etl.orchest -n 5", "orchest runs . --json"),
        HelpSection.ExitCodes("0\tlisted (also when there is none)", "2\tthe project folder does not exist"),
    ];

    public Task<int> ExecuteAsync(ParseResult parse, TextWriter output, TextWriter error)
    {
        var problems = new CliProblems();
        var project = PipelineLoader.OpenProject(parse.GetValue(_project.ProjectDirectory)!, problems);
        if (parse.GetValue(_limit) < 0)
        {
            problems.Add("--limit must be 0 (all) or more.");
        }

        if (project is null || problems.Any)
        {
            return Task.FromResult(problems.Report(error));
        }

        var pipeline = parse.GetValue(_project.Pipeline) is { } requested ? project.ToProjectPath(Path.GetFullPath(requested, project.Root)) : null;
        var limit = parse.GetValue(_limit);
        var runs = LocalRun.ReadAll(project)
            .Where(r => pipeline is null || r.Pipeline == pipeline)
            .Take(limit == 0 ? int.MaxValue : limit)
            .ToList();
        if (parse.GetValue(_json))
        {
            output.WriteLine(RunReport.Serialize(new JsonArray(runs.Select(r => r.Record?.DeepClone() ?? new JsonObject { ["id"] = r.Id }).ToArray())));
            return Task.FromResult(ExitCodes.Success);
        }

        if (runs.Count == 0)
        {
            output.WriteLine($"No runs{(pipeline is null ? "" : $" of {pipeline}")} in {project.Root} yet; \"orchest run {project.Root}\" starts one.");
            return Task.FromResult(ExitCodes.Success);
        }

        WriteTable(runs, output);
        return Task.FromResult(ExitCodes.Success);
    }

    private static void WriteTable(IReadOnlyList<LocalRun> runs, TextWriter output)
    {
        var rows = runs.Select(r => new[]
        {
            r.Id,
            r.Status ?? "-",
            (r.Started ?? r.Created).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            Durations.Between(r.Started, r.Finished),
            r.Pipeline ?? "-",
            Note(r),
        }).Prepend(["RUN", "STATUS", "STARTED", "DURATION", "PIPELINE", ""]).ToList();
        var widths = Enumerable.Range(0, 5).Select(c => rows.Max(row => row[c].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine((string.Join("  ", row.Take(5).Select((cell, c) => cell.PadRight(widths[c]))) + "  " + row[5]).TrimEnd());
        }
    }

    private static string Note(LocalRun run)
    {
        if (run.Record is null)
        {
            return "(no record: running, or orchest was killed)";
        }

        var failed = run.Steps.Where(s => (string?)s["status"] == "FAILURE")
            .Select(s => s["exit_code"] is { } code ? $"\"{s["title"]}\" (exit code {code})" : $"\"{s["title"]}\"")
            .ToList();
        return failed.Count == 0 ? "" : $"failed: {string.Join(", ", failed)}";
    }
}

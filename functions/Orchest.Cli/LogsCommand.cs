using System.CommandLine;
using Orchest.Engine.Embedded;

namespace Orchest.Cli;

/// <summary><c>orchest logs &lt;project-dir&gt; &lt;step&gt;</c>: the log of a step's last run on this machine, the step by uuid or title.</summary>
internal sealed class LogsCommand : IOrchestCommand
{
    private readonly ProjectOptions _project = new();
    private readonly Argument<string> _step = new("step") { Description = "The step, by uuid or title." };
    private readonly Option<int?> _tail = new("--tail") { HelpName = "n", Description = "Only the last n lines." };

    public LogsCommand()
    {
        Command = new Command("logs", "Print the log of a step's last run (its output, as the run streamed it).");
        _project.ProjectDirectory.DefaultValueFactory = null;
        Command.Add(_project.ProjectDirectory);
        Command.Add(_step);
        Command.Add(_project.Pipeline);
        Command.Add(_tail);
    }

    public Command Command { get; }

    public IReadOnlyList<HelpSection> Help { get; } =
    [
        new("Output", [
            "The log on stdout; on stderr first, which run wrote it and where the file is "
            + "(<project>/.orchest/pipelines/<pipeline uuid>/logs/<step uuid>.log, Orchest's path).",
        ]),
        HelpSection.Examples(
            "orchest logs samples/quickstart \"Load and clean\"",
            "orchest logs . 3b7e1a52-4a8e-4f4e-9d0b-1c2d3e4f5a6b --pipeline etl.orchest --tail 20"),
        HelpSection.ExitCodes("0\tprinted", "2\tno such project, pipeline or step, a title two steps share, or the step has no log yet"),
    ];

    public async Task<int> ExecuteAsync(ParseResult parse, TextWriter output, TextWriter error)
    {
        var problems = new CliProblems();
        var project = PipelineLoader.OpenProject(parse.GetValue(_project.ProjectDirectory)!, problems);
        if (parse.GetValue(_tail) is < 0)
        {
            problems.Add("--tail must be 0 or more.");
        }

        var path = project is null ? null : PipelineLoader.ResolvePipelinePath(project, parse.GetValue(_project.Pipeline), problems);
        if (project is null || path is null || problems.Any)
        {
            return problems.Report(error);
        }

        var read = project.ReadPipeline(path);
        if (read.Pipeline is not { } pipeline)
        {
            problems.AddRange(read.Problems.Select(p => p.Message));
            return problems.Report(error);
        }

        if (StepReferences.FindOne(pipeline, parse.GetValue(_step)!, "", problems) is not { } step)
        {
            return problems.Report(error);
        }

        var log = new LocalArtifactStore(project.OrchestDirectory).LogPath(pipeline.Uuid, step.Uuid);
        if (!File.Exists(log))
        {
            problems.Add($"step \"{step.Title}\" of {path} has no log yet: it has not run on this machine (\"orchest run {project.Root}\").");
            return problems.Report(error);
        }

        error.WriteLine($"Log of step \"{step.Title}\" ({step.Uuid}){LastRun(project, pipeline.Path, step.Uuid)}: {log}");
        var lines = await File.ReadAllLinesAsync(log);
        foreach (var line in parse.GetValue(_tail) is { } tail ? lines.Skip(Math.Max(0, lines.Length - tail)) : lines)
        {
            await output.WriteLineAsync(line);
        }

        return ExitCodes.Success;
    }

    /// <summary>" from run &lt;id&gt; (FAILURE)" for the newest recorded run that started the step, or "".</summary>
    private static string LastRun(Orchest.Engine.Projects.ProjectFolder project, string pipelinePath, string stepUuid)
    {
        foreach (var run in LocalRun.ReadAll(project).Where(r => r.Pipeline == pipelinePath))
        {
            var step = run.Steps.FirstOrDefault(s => (string?)s["uuid"] == stepUuid && s["started"] is not null);
            if (step is not null)
            {
                return $" from run {run.Id} ({step["status"]})";
            }
        }

        return "";
    }
}

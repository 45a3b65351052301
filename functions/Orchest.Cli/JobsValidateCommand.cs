using System.CommandLine;
using Orchest.Durable.Jobs;
using Orchest.Engine.Jobs;
using Orchest.Engine.Projects;
using Orchest.Functions.GitHooks;
using Orchest.Pipelines.Parameters;

namespace Orchest.Cli;

/// <summary>
/// <c>orchest jobs validate &lt;project-dir&gt;</c>: checks the job files of a project folder offline, as a push would
/// (fields, trigger, schedule, parameters, and the pipeline each names); exit 0 or 2.
/// </summary>
internal sealed class JobsValidateCommand : IOrchestCommand
{
    private readonly Argument<string> _directory = new("project-dir") { Description = "The project folder (a git working tree)", DefaultValueFactory = _ => "." };

    public JobsValidateCommand()
    {
        Command = new Command("validate", "Check the job files (.orchest/jobs/*.json) of a project folder, as a push would.") { _directory };
    }

    public Command Command { get; }

    public IReadOnlyList<HelpSection> Help { get; } =
    [
        new("What is checked", [
            "Every .orchest/jobs/*.json: the jobs API's fields, \"on\": {\"push\": {\"branches\": [...], \"paths\": [...]}}, "
            + "the schedule, the parameter sets, and the pipeline the job names (it exists and is valid). Every problem of every file at once.",
        ]),
        HelpSection.Examples("orchest jobs validate .", "orchest jobs validate samples/quickstart"),
        HelpSection.ExitCodes("0\tevery job file is valid (or there is none)", "2\tat least one problem (each printed as \"error: <file>: ...\" on stderr)"),
    ];

    public Task<int> ExecuteAsync(ParseResult parse, TextWriter output, TextWriter error)
    {
        var problems = new CliProblems();
        if (PipelineLoader.OpenProject(parse.GetValue(_directory)!, problems) is not { } project)
        {
            return Task.FromResult(problems.Report(error));
        }

        var folder = Path.Combine(project.Root, DeclaredJobFile.Folder);
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).ToList() : [];
        if (files.Count == 0)
        {
            output.WriteLine($"no job files ({DeclaredJobFile.Folder}/*.json) in \"{project.Root}\".");
        }

        foreach (var full in files)
        {
            var file = DeclaredJobFile.Folder + "/" + Path.GetFileName(full);
            var found = Check(project, file, File.ReadAllText(full));
            problems.AddRange(found.Select(p => $"{file}: {p}"));
            if (found.Count == 0)
            {
                output.WriteLine($"{file}: valid");
            }
        }

        return Task.FromResult(problems.Any ? problems.Report(error) : ExitCodes.Success);
    }

    private static List<string> Check(ProjectFolder project, string file, string content)
    {
        var problems = new List<string>();
        var now = DateTimeOffset.UtcNow;
        var baseline = new JobDefinition { Id = "validate", ProjectId = "local", Name = "", PipelinePath = "", Schedule = new JobSchedule(), Created = now };
        if (DeclaredJobFile.Read(file, content, "working-tree", baseline, problems) is not { } definition)
        {
            return problems;
        }

        TickSchedule.Read(definition.Schedule, now, problems);
        var parameters = JobParameters.Read(definition.Parameters, definition.Grid, problems);
        var cli = new CliProblems();
        var path = PipelineLoader.ResolvePipelinePath(project, definition.PipelinePath.Length == 0 ? null : definition.PipelinePath, cli);
        var pipeline = path is null ? null : PipelineLoader.Load(project, path, cli);
        problems.AddRange(cli.Messages);
        if (pipeline is not null)
        {
            parameters?.Bind(pipeline, problems);
        }

        return problems;
    }
}

using System.CommandLine;

namespace Orchest.Cli;

/// <summary><c>orchest validate &lt;project-dir&gt; [--pipeline p]</c>: every problem of every (or one) pipeline; exit 0 or 2.</summary>
internal sealed class ValidateCommand : IOrchestCommand
{
    private readonly ProjectOptions _project = new();
    private readonly Option<string> _runner = new("--runner") { Description = "process | docker: also check what that runner cannot run (e.g. services)", DefaultValueFactory = _ => RunnerChecks.Process };

    public ValidateCommand()
    {
        Command = new Command("validate", "Check pipeline files: structure, cycles, step files, environments, settings.");
        _project.AddTo(Command);
        Command.Add(_runner);
    }

    public Command Command { get; }

    public IReadOnlyList<HelpSection> Help { get; } =
    [
        new("What is checked", [
            "Every problem of every pipeline of the project (or of --pipeline) at once: the file's JSON and fields, "
            + "cycles, unknown parents, duplicate uuids, missing step files, step paths outside the project, "
            + "unknown environments, settings. Each problem names the pipeline, the step and the field.",
        ]),
        HelpSection.Examples("orchest validate samples/quickstart", "orchest validate . --pipeline etl.orchest"),
        HelpSection.ExitCodes("0\tevery pipeline is valid", "2\tat least one problem (each printed as \"error: ...\" on stderr)"),
    ];

    public Task<int> ExecuteAsync(ParseResult parse, TextWriter output, TextWriter error) => Task.FromResult(Execute(parse, output, error));

    private int Execute(ParseResult parse, TextWriter output, TextWriter error)
    {
        var problems = new CliProblems();
        var project = PipelineLoader.OpenProject(parse.GetValue(_project.ProjectDirectory)!, problems);
        if (project is null)
        {
            return problems.Report(error);
        }

        var runner = parse.GetValue(_runner)!;
        if (!RunnerChecks.Names.Contains(runner))
        {
            problems.Add($"--runner \"{runner}\" is not one of {string.Join(", ", RunnerChecks.Names)}.");
            return problems.Report(error);
        }

        var requested = parse.GetValue(_project.Pipeline);
        IReadOnlyList<string> paths = requested is null
            ? project.DiscoverPipelines()
            : PipelineLoader.ResolvePipelinePath(project, requested, problems) is { } one ? [one] : [];
        if (requested is null && paths.Count == 0)
        {
            problems.Add($"no pipeline (*.orchest file) found in \"{project.Root}\".");
        }

        foreach (var path in paths)
        {
            var before = problems.Messages.Count;
            var pipeline = PipelineLoader.Load(project, path, problems);
            if (pipeline is not null)
            {
                problems.AddRange(RunnerChecks.Problems(pipeline, runner));
            }

            if (pipeline is not null && problems.Messages.Count == before)
            {
                output.WriteLine($"{path}: valid ({pipeline.Steps.Count} {(pipeline.Steps.Count == 1 ? "step" : "steps")})");
            }
        }

        return problems.Any ? problems.Report(error) : ExitCodes.Success;
    }
}

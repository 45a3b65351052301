using System.CommandLine;

namespace Orchest.Cli;

/// <summary><c>orchest pipelines &lt;project-dir&gt;</c>: the discovered pipelines with their names and step counts.</summary>
internal sealed class PipelinesCommand : IOrchestCommand
{
    private readonly Argument<string> _projectDirectory = new ProjectOptions().ProjectDirectory;

    public PipelinesCommand()
    {
        Command = new Command("pipelines", "List the pipelines (*.orchest files) of a project.") { _projectDirectory };
    }

    public Command Command { get; }

    public IReadOnlyList<HelpSection> Help { get; } =
    [
        new("Output", ["One line per *.orchest file under the project folder (.git, .orchest and .ipynb_checkpoints skipped): its path, step count and name, or why it cannot be read."]),
        HelpSection.Examples("orchest pipelines samples/quickstart"),
        HelpSection.ExitCodes("0\tlisted (also when there is none)", "2\tthe project folder does not exist"),
    ];

    public Task<int> ExecuteAsync(ParseResult parse, TextWriter output, TextWriter error) => Task.FromResult(Execute(parse, output, error));

    private int Execute(ParseResult parse, TextWriter output, TextWriter error)
    {
        var problems = new CliProblems();
        var project = PipelineLoader.OpenProject(parse.GetValue(_projectDirectory)!, problems);
        if (project is null)
        {
            return problems.Report(error);
        }

        var paths = project.DiscoverPipelines();
        if (paths.Count == 0)
        {
            output.WriteLine($"No pipelines in {project.Root}.");
            return ExitCodes.Success;
        }

        var width = paths.Max(p => p.Length);
        foreach (var path in paths)
        {
            var read = project.ReadPipeline(path);
            var line = read.Pipeline is { } pipeline
                ? $"{pipeline.Steps.Count,3} {(pipeline.Steps.Count == 1 ? "step " : "steps")}  {pipeline.Name}"
                : $"invalid: {read.Problems[0].Message}";
            output.WriteLine($"{path.PadRight(width)}  {line}");
        }

        return ExitCodes.Success;
    }
}

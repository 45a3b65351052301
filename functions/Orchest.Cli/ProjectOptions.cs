using System.CommandLine;

namespace Orchest.Cli;

/// <summary>The project folder argument and <c>--pipeline</c> option shared by commands.</summary>
internal sealed class ProjectOptions
{
    public Argument<string> ProjectDirectory { get; } = new("project-dir")
    {
        Description = "The project folder (a git working tree holding *.orchest files).",
        DefaultValueFactory = _ => ".",
    };

    public Option<string?> Pipeline { get; } = new("--pipeline", "-p")
    {
        HelpName = "file",
        Description = "Pipeline file, relative to the project folder (optional when the project has one pipeline).",
    };

    public void AddTo(Command command)
    {
        command.Add(ProjectDirectory);
        command.Add(Pipeline);
    }
}

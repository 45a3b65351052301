using Orchest.Engine.Projects;
using Orchest.Pipelines;

namespace Orchest.Cli;

/// <summary>Finds the project and the pipeline the user means, reads and validates it, collecting every problem.</summary>
internal static class PipelineLoader
{
    public static ProjectFolder? OpenProject(string directory, CliProblems problems)
    {
        if (!Directory.Exists(directory))
        {
            problems.Add($"project folder \"{directory}\" does not exist.");
            return null;
        }

        return new ProjectFolder(directory);
    }

    /// <summary>The pipeline path the user means: <paramref name="requested"/>, or the project's only pipeline.</summary>
    public static string? ResolvePipelinePath(ProjectFolder project, string? requested, CliProblems problems)
    {
        if (requested is not null)
        {
            var full = Path.GetFullPath(Path.IsPathRooted(requested) ? requested : Path.Combine(project.Root, requested));
            var relative = project.ToProjectPath(full);
            if (relative.StartsWith("../", StringComparison.Ordinal) || relative == "..")
            {
                problems.Add($"pipeline \"{requested}\" is outside the project folder \"{project.Root}\".");
                return null;
            }

            if (!File.Exists(full))
            {
                problems.Add($"pipeline file \"{relative}\" does not exist in \"{project.Root}\".");
                return null;
            }

            return relative;
        }

        var found = project.DiscoverPipelines();
        switch (found.Count)
        {
            case 0:
                problems.Add($"no pipeline (*.orchest file) found in \"{project.Root}\".");
                return null;
            case 1:
                return found[0];
            default:
                problems.Add($"the project has {found.Count} pipelines; choose one with --pipeline: {string.Join(", ", found)}.");
                return null;
        }
    }

    /// <summary>Reads and validates a pipeline; every problem (file, steps, environments) goes to <paramref name="problems"/>.</summary>
    public static PipelineDefinition? Load(ProjectFolder project, string pipelinePath, CliProblems problems)
    {
        var (pipeline, found) = PipelineCheck.Run(project, pipelinePath);
        problems.AddRange(found.Select(p => p.Message));
        return pipeline;
    }
}

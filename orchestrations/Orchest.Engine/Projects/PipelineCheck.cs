using Orchest.Pipelines;

namespace Orchest.Engine.Projects;

/// <summary>
/// Reads a pipeline of a project folder and reports every problem at once: the file, its steps, the
/// files they name and the environments they use. The CLI and the HTTP API both start runs through it.
/// </summary>
public static class PipelineCheck
{
    public static (PipelineDefinition? Pipeline, IReadOnlyList<PipelineProblem> Problems) Run(ProjectFolder project, string pipelinePath)
    {
        var read = project.ReadPipeline(pipelinePath);
        if (read.Pipeline is not { } pipeline)
        {
            return (null, read.Problems);
        }

        // Validate repeats the parse problems, then adds graph, file and environment problems.
        var (_, environmentProblems) = project.LoadEnvironments();
        var problems = pipeline.Steps.Select(s => s.Environment).Where(e => e.Length > 0).Distinct(StringComparer.Ordinal)
            .SelectMany(uuid => environmentProblems[uuid])
            .Concat(PipelineValidator.Validate(pipeline, project))
            .ToList();
        return (problems.Count == 0 ? pipeline : null, problems);
    }
}

using Orchest.Pipelines.Reading;
using Orchest.Pipelines.Services;
using Orchest.Pipelines.Validation;

namespace Orchest.Pipelines;

/// <summary>Checks a pipeline against itself and its project, reporting every problem at once (ours: Orchest had no server-side check).</summary>
public static class PipelineValidator
{
    /// <summary>
    /// Every problem of <paramref name="pipeline"/>: those <see cref="PipelineFile.Parse"/> already reported
    /// (so callers need only this list), then uuids, incoming_connections and cycles, then step files and
    /// environments, step by step in file order, then the services block.
    /// </summary>
    public static IReadOnlyList<PipelineProblem> Validate(PipelineDefinition pipeline, IProjectFiles files)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(files);

        var sink = new ProblemSink(pipeline.Path);
        sink.AddRange(pipeline.ReadProblems);
        StepGraphChecks.Check(pipeline, new StepGraph(pipeline.Steps), sink);
        foreach (var step in pipeline.Steps)
        {
            StepFileChecks.Check(step, files, sink);
        }

        var services = new List<PipelineProblem>();
        PipelineServices.Read(pipeline, files.Environments.Keys.ToList(), services);
        sink.AddRange(services);

        return sink.Problems;
    }
}

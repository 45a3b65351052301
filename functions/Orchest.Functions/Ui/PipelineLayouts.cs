using System.Collections.Concurrent;
using Orchest.Engine.Runs;
using Orchest.Functions.Ui.Views;
using Orchest.Git;

namespace Orchest.Functions.Ui;

/// <summary>
/// The graph of a run's pipeline, as placed in its .orchest file at the run's commit. A commit never
/// changes, so each layout is read once per host and kept (a run page polled for an hour costs no git
/// work). Without the file (repository unreachable) the run's own steps are drawn in columns.
/// </summary>
internal sealed class PipelineLayouts(ProjectPipelines pipelines)
{
    private const int Kept = 256;
    private readonly ConcurrentDictionary<string, GraphLayout> _layouts = new(StringComparer.Ordinal);

    public async Task<GraphLayout> ForRunAsync(RunSnapshot run, CancellationToken cancellationToken)
    {
        if (run.Run.Commit is { } commit)
        {
            var key = $"{run.Run.ProjectId}\n{commit}\n{run.Run.PipelinePath}";
            if (_layouts.TryGetValue(key, out var known))
            {
                return known;
            }

            try
            {
                if (await pipelines.ReadAsync(run.Run.ProjectId, commit, run.Run.PipelinePath, cancellationToken) is { Read.Pipeline: { } pipeline })
                {
                    if (_layouts.Count >= Kept)
                    {
                        _layouts.Clear();
                    }

                    return _layouts[key] = GraphLayout.Of(pipeline);
                }
            }
            catch (Exception ex) when (ex is GitRepositoryException or GitRefNotFoundException)
            {
                // The run's own steps are enough to draw the graph.
            }
        }

        return GraphLayout.Of(run.Steps.Select(s => new GraphStep(s.Uuid, s.Title, s.FilePath, s.Parents, null)).ToList());
    }
}

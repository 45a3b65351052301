using Orchest.Pipelines.Reading;
using Orchest.Pipelines.Validation;

namespace Orchest.Pipelines;

/// <summary>Decides which steps a run executes and in which order (Orchest's construct_pipeline).</summary>
public static class RunGraphBuilder
{
    /// <summary>
    /// Builds the run graph for <paramref name="runType"/>. <paramref name="stepRefs"/> are step uuids or
    /// unique titles (ignored for <see cref="RunType.Full"/>). Selection keeps only the edges between chosen
    /// steps, so choosing A and C of A->B->C runs them in parallel; incoming runs the strict ancestors of the
    /// chosen steps, so choosing B and C of A->B->C runs only A. Expects a validated pipeline (no cycles).
    /// </summary>
    public static RunGraphResult Build(PipelineDefinition pipeline, RunType runType, IReadOnlyCollection<string> stepRefs)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(stepRefs);

        var sink = new ProblemSink(pipeline.Path);
        var graph = new StepGraph(pipeline.Steps);
        HashSet<int> included;
        if (runType == RunType.Full)
        {
            included = [.. Enumerable.Range(0, pipeline.Steps.Count)];
        }
        else
        {
            var chosen = RunStepReferences.Resolve(pipeline, graph, runType, stepRefs, sink);
            if (sink.Problems.Count > 0)
            {
                return new RunGraphResult(null, sink.Problems);
            }

            included = runType == RunType.Selection ? [.. chosen] : StrictAncestors(graph, chosen);
            if (included.Count == 0)
            {
                sink.File.Add("empty_run", null, NothingToRun(graph, chosen));
                return new RunGraphResult(null, sink.Problems);
            }
        }

        if (included.Count == 0)
        {
            sink.File.Add("empty_run", null, "the pipeline has no steps to run.");
            return new RunGraphResult(null, sink.Problems);
        }

        var order = TopologicalOrder(graph, included);
        if (order is null)
        {
            // Only an unvalidated pipeline gets here; say why rather than run part of it.
            StepGraphChecks.Check(pipeline, graph, sink);
            return new RunGraphResult(null, [.. sink.Problems.Where(p => p.Code == "cycle")]);
        }

        var steps = order.Select(i => new RunGraphStep(
            graph.Steps[i],
            [.. graph.Parents[i].Where(included.Contains).Select(p => graph.Steps[p].Uuid)],
            [.. graph.Children[i].Where(included.Contains).Select(c => graph.Steps[c].Uuid)]));
        return new RunGraphResult(new RunGraph(runType, [.. steps]), []);
    }

    /// <summary>Accepts "full", "selection" and "incoming" (Orchest's run_type values), in any case.</summary>
    public static bool TryParseRunType(string text, out RunType runType)
    {
        runType = RunType.Full;
        switch (text?.ToLowerInvariant())
        {
            case "full":
                return true;
            case "selection":
                runType = RunType.Selection;
                return true;
            case "incoming":
                runType = RunType.Incoming;
                return true;
            default:
                return false;
        }
    }

    private static HashSet<int> StrictAncestors(StepGraph graph, IReadOnlyList<int> chosen)
    {
        var ancestors = new HashSet<int>();
        var pending = new Stack<int>(chosen.SelectMany(c => graph.Parents[c]));
        while (pending.Count > 0)
        {
            var step = pending.Pop();
            if (ancestors.Add(step))
            {
                foreach (var parent in graph.Parents[step])
                {
                    pending.Push(parent);
                }
            }
        }

        // Orchest removed the selection even when one chosen step is an ancestor of another.
        ancestors.ExceptWith(chosen);
        return ancestors;
    }

    private static string NothingToRun(StepGraph graph, IReadOnlyList<int> chosen)
    {
        var named = ProblemText.List([.. chosen.Select(i => ProblemText.Named(graph.Steps[i].Title, graph.Steps[i].Uuid))]);
        var roots = chosen.Where(i => graph.Parents[i].Count == 0).ToList();
        var rootNames = ProblemText.List([.. roots.Select(i => ProblemText.Named(graph.Steps[i].Title, graph.Steps[i].Uuid))]);
        var reason = roots.Count == chosen.Count
            ? $"{rootNames} {ProblemText.Has(roots.Count)} no incoming steps"
            : $"{rootNames} {ProblemText.Has(roots.Count)} no incoming steps and every other ancestor is one of the chosen steps";
        return $"an incoming run of {named} has no steps to run: {reason}.";
    }

    /// <summary>Kahn's algorithm taking the ready step earliest in the file; null when the steps form a cycle.</summary>
    private static List<int>? TopologicalOrder(StepGraph graph, HashSet<int> included)
    {
        var waitingOn = new Dictionary<int, int>();
        var ready = new PriorityQueue<int, int>();
        foreach (var step in included)
        {
            waitingOn[step] = graph.Parents[step].Count(included.Contains);
            if (waitingOn[step] == 0)
            {
                ready.Enqueue(step, step);
            }
        }

        var order = new List<int>(included.Count);
        while (ready.TryDequeue(out var step, out _))
        {
            order.Add(step);
            foreach (var child in graph.Children[step].Where(included.Contains))
            {
                if (--waitingOn[child] == 0)
                {
                    ready.Enqueue(child, child);
                }
            }
        }

        return order.Count == included.Count ? order : null;
    }
}

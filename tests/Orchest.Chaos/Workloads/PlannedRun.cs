namespace Orchest.Chaos.Workloads;

/// <summary>
/// One run of a trial's workload. Each run has a pipeline file of its own (and so its own pipeline uuid):
/// a step's committed output sets then belong to this run alone, and a second commit is visible. A pushed
/// run (<see cref="Trigger"/>) also has a job file that a push of <see cref="PushedFile"/> alone starts.
/// </summary>
public sealed record PlannedRun(
    string Name, string Shape, IReadOnlyList<PlannedStep> Steps, bool ContinueOnFailure, TimeSpan SubmitAt, TimeSpan? CancelAfter,
    RunTrigger Trigger = RunTrigger.Api)
{
    public string PipelinePath => Name + ".orchest";

    public bool Pushed => Trigger != RunTrigger.Api;

    /// <summary>The file the run's push changes (its job starts only on a push changing it).</summary>
    public string PushedFile => $"pushes/{Name}.txt";

    /// <summary>The job file that starts the run on its push.</summary>
    public string JobFile => $".orchest/jobs/{Name}.json";

    /// <summary>What the run ends as when nobody cancels it, whatever host dies: a step that always fails fails it.</summary>
    public string ExpectedStatus => Steps.Any(s => s.Failure == StepFailure.Always) ? "FAILURE" : "SUCCESS";

    public PlannedStep Step(string title) => Steps.Single(s => s.Title == title);

    /// <summary>Every step below <paramref name="title"/> (children, their children, ...).</summary>
    public IReadOnlySet<string> Descendants(string title) => Closure(title, t => Steps.Where(s => s.Parents.Contains(t)).Select(s => s.Title));

    /// <summary>Every step above <paramref name="title"/>.</summary>
    public IReadOnlySet<string> Ancestors(string title) => Closure(title, t => Step(t).Parents);

    private static HashSet<string> Closure(string start, Func<string, IEnumerable<string>> next)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(next(start));
        while (stack.TryPop(out var title))
        {
            if (seen.Add(title))
            {
                foreach (var further in next(title))
                {
                    stack.Push(further);
                }
            }
        }

        return seen;
    }
}

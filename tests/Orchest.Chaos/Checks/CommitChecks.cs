namespace Orchest.Chaos.Checks;

/// <summary>
/// Exactly-once commits, seen from every side: a succeeded step's record names the output set of its
/// succeeding attempt (<c>&lt;run&gt;-&lt;attempt&gt;</c>), its LATEST pointer names the same set, its COMMITTED
/// history holds that set alone (each run has its own pipeline, so no other run commits there), the data
/// the API serves was written by that attempt, each child read exactly that data, and the log holds the
/// line the step printed. A step that did not succeed has nothing committed. Runs of the cron job share
/// their pipeline (<see cref="ObservedRun.SharesItsPipeline"/>): their pointers name whichever run committed
/// last, so for them COMMITTED may hold at most one set of the run, LATEST is not compared, and an output set
/// that later runs' commits pruned (beyond the retained sets) is checked through the log alone.
/// </summary>
public static class CommitChecks
{
    public static IEnumerable<Violation> Check(ObservedRun run)
    {
        if (run.Status is null)
        {
            yield break;
        }

        foreach (var step in run.Steps)
        {
            foreach (var violation in step.Status == "SUCCESS" ? Succeeded(run, step) : NotSucceeded(run, step))
            {
                yield return violation;
            }
        }
    }

    /// <summary>Output sets present but never committed: attempts that died with their host, or succeeded after their run ended.</summary>
    public static int Uncommitted(ObservedRun run) =>
        run.Steps.Sum(s => s.SetsPresent.Count(set => (!run.SharesItsPipeline || Of(run, set)) && (set != s.OutputSet || s.Status != "SUCCESS")));

    /// <summary>Whether an output set (or a pointer's entry) is one of the run's own attempts (<c>&lt;run&gt;-&lt;attempt&gt;</c>).</summary>
    private static bool Of(ObservedRun run, string set) => set.StartsWith(run.RunId + "-", StringComparison.Ordinal);

    private static IEnumerable<Violation> Succeeded(ObservedRun run, ObservedStep step)
    {
        var expected = $"{run.RunId}-{step.Attempt}";
        Violation Mismatch(string why) => new(ViolationKinds.CommitMismatch, run.RunId, $"step {step.Title}#{step.Attempt}: {why}");

        if (step.OutputSet != expected)
        {
            yield return Mismatch($"its record commits output set {step.OutputSet ?? "(none)"}, not {expected}");
        }

        if (run.SharesItsPipeline)
        {
            if (step.Committed.Count(c => Of(run, c)) > 1)
            {
                yield return new(ViolationKinds.DoubleCommit, run.RunId, $"step {step.Title}: committed {string.Join(", ", step.Committed.Where(c => Of(run, c)))}");
            }
        }
        else if (step.Latest != expected)
        {
            yield return Mismatch($"its LATEST pointer names {step.Latest ?? "(none)"}, not {expected}");
        }

        if (run.SharesItsPipeline)
        {
            // Its own set may have been pruned from the shared history by later runs' commits.
        }
        else if (step.Committed.Count > 1)
        {
            yield return new(ViolationKinds.DoubleCommit, run.RunId, $"step {step.Title}: committed {string.Join(", ", step.Committed)}");
        }
        else if (step.Committed.Count == 0 || step.Committed[0] != expected)
        {
            yield return Mismatch($"its COMMITTED history is [{string.Join(", ", step.Committed)}], not [{expected}]");
        }

        if (step.Output is not { Token: { } token } output)
        {
            if (run.SharesItsPipeline && !step.Committed.Any(c => Of(run, c)))
            {
                // Later runs' commits pruned its set (the retained output sets): only its log shows what it wrote.
                if (step.Log is null || !step.Log.Contains($"token {run.RunId}/{step.Title}/{step.Attempt}/", StringComparison.Ordinal))
                {
                    yield return new(ViolationKinds.LogMissing, run.RunId, $"step {step.Title}#{step.Attempt}: its log lacks its token line");
                }

                yield break;
            }

            yield return Mismatch($"its committed output cannot be read: {step.Output?.Error}");
            yield break;
        }

        if (!token.StartsWith($"{run.RunId}/{step.Title}/{step.Attempt}/", StringComparison.Ordinal))
        {
            yield return Mismatch($"the API serves output {token}, written by another attempt");
        }

        foreach (var parent in step.Plan?.Parents ?? [])
        {
            var committed = run.Step(parent)?.Output?.Token;
            if (committed is null && run.SharesItsPipeline)
            {
                continue; // the parent's set was pruned by later runs' commits
            }

            if (!output.Seen.TryGetValue(parent, out var seen) || seen != committed)
            {
                yield return new(ViolationKinds.InputMismatch, run.RunId,
                    $"step {step.Title}#{step.Attempt} read {(seen ?? "nothing")} from {parent}, whose committed output is {committed ?? "(none)"}");
            }
        }

        if (step.Log is null || !step.Log.Contains("token " + token, StringComparison.Ordinal))
        {
            yield return new(ViolationKinds.LogMissing, run.RunId,
                $"step {step.Title}#{step.Attempt}: its log {(step.Log is null ? "cannot be read" : $"({step.Log.Length} chars) lacks \"token {token}\"")}");
        }
    }

    private static IEnumerable<Violation> NotSucceeded(ObservedRun run, ObservedStep step)
    {
        var committed = run.SharesItsPipeline
            ? step.OutputSet is not null || step.Committed.Any(c => Of(run, c)) || (step.Latest is { } latest && Of(run, latest))
            : step.OutputSet is not null || step.Latest is not null || step.Committed.Count > 0;
        if (committed)
        {
            yield return new(ViolationKinds.DoubleCommit, run.RunId,
                $"step {step.Title} is {step.Status}#{step.Attempt} yet has a commit: record {step.OutputSet ?? "-"}, LATEST {step.Latest ?? "-"}, COMMITTED [{string.Join(", ", step.Committed)}]");
        }
    }
}

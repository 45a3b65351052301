namespace Orchest.Chaos.Workloads;

/// <summary>
/// Plans a trial from its seed: a mix of runs (chains, fan-outs with a join, a fail-fast failure, a
/// failure under <c>continue</c>, a step that fails once and is retried; some of them cancelled at a random
/// moment; in full trials, sometimes a step longer than the hosts' visibility timeout), spread over the
/// first seconds, and one host killed at a random moment in that busy window; then a few chains started by
/// git pushes, one of them delivered to the host being killed just before it dies.
/// </summary>
public static class WorkloadPlanner
{
    private static readonly string[] Shapes = ["chain", "fan-out", "fail-fast", "continue", "retry"];

    /// <summary>The shape of the run whose push is delivered to the host being killed.</summary>
    public const string PushAtKillShape = "push at kill";

    public static TrialPlan Plan(int index, int seed, int hosts, bool small)
    {
        // Pseudo-random on purpose: a seed must plan the same trial again (reproduction), not be unpredictable.
        var random = new Random(seed);
        var size = small ? WorkloadSize.Small : WorkloadSize.Full;
        var shapes = Shapes.OrderBy(_ => random.Next()).ToList();
        while (shapes.Count < size.Runs)
        {
            shapes.Add(Shapes[random.Next(Shapes.Length)]);
        }

        var cancelled = Enumerable.Range(0, size.Runs).OrderBy(_ => random.Next()).Take(size.Cancels).ToHashSet();
        var runs = new List<PlannedRun>();
        for (var i = 0; i < size.Runs; i++)
        {
            var cancel = cancelled.Contains(i);
            var steps = Steps(shapes[i], random, size, cancel ? 1.5 : 1.0);
            var submitAt = Seconds(random, 0, size.SubmitWindow);
            TimeSpan? cancelAfter = cancel ? Seconds(random, 0.3, size.CancelWindow) : null;
            runs.Add(new PlannedRun($"r{i + 1:D2}", shapes[i], steps, shapes[i] == "continue", submitAt, cancelAfter));
        }

        var kill = new KillPlan(
            random.Next(hosts),
            Seconds(random, size.KillFrom, size.KillTo),
            random.NextDouble() < 0.5 ? Seconds(random, 0, size.RestartWindow) : null,
            PreferBusy: random.NextDouble() < 0.75);
        // Drawn last, so the rest of a seed's plan is what it was before long steps existed.
        if (random.NextDouble() < size.LongStepChance && runs.Where(r => r.CancelAfter is null).ToList() is { Count: > 0 } uncancelled)
        {
            var run = uncancelled[random.Next(uncancelled.Count)];
            var step = run.Steps[random.Next(run.Steps.Count)];
            var steps = run.Steps.Select(s => s == step ? s with { SleepSeconds = WorkloadSize.LongStepSeconds } : s).ToList();
            runs[runs.IndexOf(run)] = run with { Steps = steps };
        }

        // Drawn after everything else, for the same reason.
        for (var i = 0; i < size.Pushes; i++)
        {
            var steps = Chain("s", random.Next(2, 4), () => Math.Round(size.SleepFrom + (random.NextDouble() * (size.SleepTo - size.SleepFrom)), 2));
            var atKill = i == 0;
            runs.Add(new PlannedRun($"p{i + 1:D2}", atKill ? PushAtKillShape : "push", steps, false, atKill ? kill.At : Seconds(random, 0, size.SubmitWindow), null,
                atKill ? RunTrigger.PushAtKill : RunTrigger.Push));
        }

        if (size.Pushes > 0)
        {
            kill = kill with
            {
                PushLead = Seconds(random, 0, WorkloadSize.PushLeadSeconds),
                RedeliverAfter = Seconds(random, 0, WorkloadSize.RedeliverWithinSeconds),
            };
        }

        return new TrialPlan(index, seed, hosts, runs, kill);
    }

    private static List<PlannedStep> Steps(string shape, Random random, WorkloadSize size, double slower)
    {
        double Sleep() => Math.Round(slower * (size.SleepFrom + (random.NextDouble() * (size.SleepTo - size.SleepFrom))), 2);

        List<PlannedStep> steps;
        if (shape == "continue")
        {
            // Two independent branches: the failure in one aborts only its own descendants.
            steps = [.. Chain("a", random.Next(2, size.ChainTo), Sleep), .. Chain("b", random.Next(2, size.ChainTo), Sleep)];
            var branch = steps.Where(s => s.Title.StartsWith('a')).ToList();
            var failing = branch[random.Next(branch.Count)];
            steps[steps.IndexOf(failing)] = failing with { Failure = StepFailure.Always };
            return steps;
        }

        // A failure or a retry happens in a chain or in a fan-out, either way.
        var fanOut = shape switch { "chain" => false, "fan-out" => true, _ => random.Next(2) == 0 };
        steps = fanOut
            ? FanOut(random.Next(size.WidthFrom, size.WidthTo + 1), Sleep)
            : Chain("s", random.Next(size.ChainFrom, size.ChainTo + 1), Sleep);

        var chosen = random.Next(steps.Count);
        steps[chosen] = shape switch
        {
            "fail-fast" => steps[chosen] with { Failure = StepFailure.Always },
            "retry" => steps[chosen] with { Failure = StepFailure.FirstAttempt, Retried = true },
            _ => steps[chosen],
        };
        return steps;
    }

    private static List<PlannedStep> Chain(string prefix, int length, Func<double> sleep) =>
        [.. Enumerable.Range(1, length).Select(i => new PlannedStep($"{prefix}{i}", i == 1 ? [] : [$"{prefix}{i - 1}"], sleep(), StepFailure.Never, false))];

    /// <summary>A root, <paramref name="width"/> children of it, and a join of them all.</summary>
    private static List<PlannedStep> FanOut(int width, Func<double> sleep)
    {
        var middle = Enumerable.Range(2, width).Select(i => $"s{i}").ToList();
        return
        [
            new PlannedStep("s1", [], sleep(), StepFailure.Never, false),
            .. middle.Select(title => new PlannedStep(title, ["s1"], sleep(), StepFailure.Never, false)),
            new PlannedStep($"s{width + 2}", middle, sleep(), StepFailure.Never, false),
        ];
    }

    private static TimeSpan Seconds(Random random, double from, double to) =>
        TimeSpan.FromSeconds(Math.Round(from + (random.NextDouble() * (to - from)), 2));
}

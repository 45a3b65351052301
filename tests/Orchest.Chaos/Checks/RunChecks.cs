using System.Net;
using Orchest.Chaos.Workloads;

namespace Orchest.Chaos.Checks;

/// <summary>
/// A run's status against its steps (the state machine's rules) and against its workload: nothing lost,
/// every run ended, SUCCESS iff every step succeeded, FAILURE iff a step failed (and no cancel), ABORTED
/// only for a cancel, and a run nobody cancelled ends exactly as its steps' behaviour says, whatever host died.
/// </summary>
public static class RunChecks
{
    private static readonly string[] Terminal = ["SUCCESS", "FAILURE", "ABORTED"];

    public static IEnumerable<Violation> Check(ObservedRun run)
    {
        if (run.Status is null)
        {
            var got = run.Answer is { } answer ? $"{answer.Outcome} from {answer.Host}{(answer.Error is { } error ? ": " + error : "")}" : "not asked";
            yield return new(ViolationKinds.RunLost, run.RunId, $"GET /api/runs/{run.RunId} does not know the run: {got} (its start answered {run.Submitted?.Submission?.Outcome})");
            yield break;
        }

        if (run.Submitted?.Acknowledged == true && !run.Listed)
        {
            yield return new(ViolationKinds.RunLost, run.RunId, "accepted (202) but missing from its project's run list");
        }

        if (!Terminal.Contains(run.Status))
        {
            yield return new(ViolationKinds.RunNotTerminal, run.RunId, $"still {run.Status}: {Steps(run)}");
            yield break;
        }

        foreach (var violation in Consistency(run).Concat(run.Plan is { } plan ? Expectations(run, plan) : []))
        {
            yield return violation;
        }
    }

    private static IEnumerable<Violation> Consistency(ObservedRun run)
    {
        Violation Inconsistent(string why) => new(ViolationKinds.RunStepInconsistent, run.RunId, $"{run.Status}: {why} ({Steps(run)})");

        if (run.Steps.Any(s => !Terminal.Contains(s.Status)))
        {
            yield return Inconsistent("ended with unfinished steps");
        }

        var statuses = run.Steps.Select(s => s.Status).ToHashSet(StringComparer.Ordinal);
        switch (run.Status)
        {
            case "SUCCESS" when statuses.Any(s => s != "SUCCESS"):
                yield return Inconsistent("not every step succeeded");
                break;
            case not "SUCCESS" when statuses.All(s => s == "SUCCESS"):
                yield return Inconsistent("every step succeeded");
                break;
            case "FAILURE" when !statuses.Contains("FAILURE"):
                yield return Inconsistent("no step failed");
                break;
            case "FAILURE" when run.CancelRequested:
                yield return Inconsistent("its cancel was accepted (run.cancel_requested), yet it did not end ABORTED");
                break;
            case "ABORTED" when !run.CancelRequested && statuses.Contains("FAILURE"):
                yield return Inconsistent("a step failed and nobody cancelled it, so it should be FAILURE");
                break;
        }

        foreach (var step in run.Steps.Where(s => s.Status == "SUCCESS" && s.Plan is not null))
        {
            foreach (var parent in step.Plan!.Parents.Select(run.Step).Where(p => p?.Status != "SUCCESS"))
            {
                yield return Inconsistent($"{step.Title} succeeded though its parent {parent?.Title} is {parent?.Status}");
            }
        }
    }

    private static IEnumerable<Violation> Expectations(ObservedRun run, PlannedRun plan)
    {
        if (run.Status == "ABORTED" && !run.CancelSent)
        {
            yield return new(ViolationKinds.WrongRunStatus, run.RunId, $"{plan.Name} ({plan.Shape}) ended ABORTED though nobody cancelled it ({Steps(run)})");
        }
        else if (run.Status != "ABORTED" && run.Status != plan.ExpectedStatus)
        {
            yield return new(ViolationKinds.WrongRunStatus, run.RunId, $"{plan.Name} ({plan.Shape}) ended {run.Status}, its workload says {plan.ExpectedStatus} ({Steps(run)})");
        }

        if (run.Submitted?.Cancel is { Status: HttpStatusCode.OK, Body: { } answered } && (string?)answered["status"] is { } said && said != run.Status)
        {
            yield return new(ViolationKinds.WrongRunStatus, run.RunId, $"its cancel answered 200 with {said}, it ended {run.Status}");
        }

        foreach (var step in run.Steps.Where(s => s.Status == "FAILURE" && s.Plan?.Failure != StepFailure.Always))
        {
            yield return new(ViolationKinds.WrongStepStatus, run.RunId, $"{plan.Name} step {step.Title} (attempt {step.Attempt}) FAILED though it never fails on purpose: {step.Message}");
        }

        if (run.CancelSent)
        {
            yield break;
        }

        // Nobody cancelled it: each step ends as its behaviour and the failure policy say.
        foreach (var failing in plan.Steps.Where(s => s.Failure == StepFailure.Always))
        {
            var below = plan.Descendants(failing.Title);
            var above = plan.Ancestors(failing.Title);
            foreach (var step in run.Steps.Where(s => s.Plan is not null))
            {
                var expected = step.Title == failing.Title ? "FAILURE"
                    : below.Contains(step.Title) ? "ABORTED"
                    : above.Contains(step.Title) || plan.ContinueOnFailure ? "SUCCESS"
                    : null; // under fail-fast, an independent step succeeded or was aborted, by timing
                if (expected is not null && step.Status != expected)
                {
                    yield return new(ViolationKinds.WrongStepStatus, run.RunId,
                        $"{plan.Name} ({plan.Shape}) step {step.Title} is {step.Status} (attempt {step.Attempt}), expected {expected}: {step.Message}");
                }
            }
        }
    }

    public static string Steps(ObservedRun run) =>
        string.Join(", ", run.Steps.Select(s => $"{s.Title} {s.Status}#{s.Attempt}"));
}

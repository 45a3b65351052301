namespace Orchest.Chaos.Checks;

/// <summary>The invariants a trial checks, by the name its violations are counted under.</summary>
public static class ViolationKinds
{
    /// <summary>A run the API accepted (202) cannot be read, or is missing from its project's run list.</summary>
    public const string RunLost = "run-lost";

    /// <summary>A host nobody killed exited (crashed or stopped) during the trial: whatever else went wrong may follow from it.</summary>
    public const string HostDied = "host-died";

    /// <summary>A run did not end within the bound.</summary>
    public const string RunNotTerminal = "run-not-terminal";

    /// <summary>A run's status breaks the state machine's rules against its steps (SUCCESS iff all steps SUCCESS, FAILURE iff one FAILURE, ...).</summary>
    public const string RunStepInconsistent = "run-step-inconsistent";

    /// <summary>A run ended other than its workload says (e.g. FAILURE without a failing step, ABORTED without a cancel).</summary>
    public const string WrongRunStatus = "wrong-run-status";

    /// <summary>A step ended other than its workload says (e.g. a step that never fails FAILED).</summary>
    public const string WrongStepStatus = "wrong-step-status";

    /// <summary>A run's events are not numbered 0..n-1 without gaps.</summary>
    public const string EventsNotDense = "events-not-dense";

    /// <summary>A run's events contradict its record (terminal event, a step's last event).</summary>
    public const string EventsInconsistent = "events-inconsistent";

    /// <summary>A step has more than one step.succeeded event.</summary>
    public const string StepSucceededTwice = "step-succeeded-twice";

    /// <summary>A step's committed output set is not the one of its succeeding attempt (record, LATEST, the data read).</summary>
    public const string CommitMismatch = "commit-mismatch";

    /// <summary>More than one output set of a run's step was committed, or a step that did not succeed has one.</summary>
    public const string DoubleCommit = "double-commit";

    /// <summary>A child read other data than its parent's committed output.</summary>
    public const string InputMismatch = "input-mismatch";

    /// <summary>A succeeded step's log is missing or lacks what the step printed.</summary>
    public const string LogMissing = "log-missing";

    /// <summary>A step process still runs after every run of the trial ended.</summary>
    public const string StepProcessLeft = "step-process-left";

    /// <summary>A step running on the killed host was not run again at a higher attempt (yet ended SUCCESS or FAILURE).</summary>
    public const string KilledStepNotRerun = "killed-step-not-rerun";

    /// <summary>An attempt that died with its host was reported as succeeded or failed.</summary>
    public const string KilledAttemptReported = "killed-attempt-reported";

    /// <summary>A planned run exists more than once (its start, or its push, handled twice).</summary>
    public const string RunDuplicated = "run-duplicated";

    /// <summary>A push delivery reached a host (a host claimed it, or its redelivery was answered), yet no run of the push exists at the end.</summary>
    public const string PushLost = "push-lost";

    /// <summary>A pushed run ran at another commit than its push's.</summary>
    public const string PushWrongCommit = "push-wrong-commit";

    /// <summary>The trial's cron job could not be created, or did not end ABORTED after its cancel.</summary>
    public const string JobNotEnded = "job-not-ended";

    /// <summary>A cron tick was lost: a time of its schedule between two recorded ticks neither ran nor was counted as skipped.</summary>
    public const string JobTickLost = "job-tick-lost";

    /// <summary>A cron tick ran twice: two history entries for one scheduled time, or one run id in two ticks.</summary>
    public const string JobTickDuplicated = "job-tick-duplicated";

    /// <summary>A job's counters, last tick, history and runs disagree (e.g. its runs count is not its history's, a tick started no run).</summary>
    public const string JobInconsistent = "job-inconsistent";

    /// <summary>A live host answered a run's start or cancel (or a push delivery) with an error.</summary>
    public const string ApiError = "api-error";

    /// <summary>The trial itself could not run (hosts did not start, storage unreachable): no verdict on the product.</summary>
    public const string TrialError = "trial-error";
}

namespace Orchest.Benchmarks.Measuring;

/// <summary>
/// One repetition of one contender on one workload. <see cref="Wall"/> is what the harness measured
/// around the whole run; the optional parts come from orchest's run record.
/// </summary>
/// <param name="Wall">Wall time, start of the command (or call) to its end.</param>
/// <param name="EngineWall">Run record finished - started (orchest only): the wall without CLI start-up and exit.</param>
/// <param name="StepTime">Σ step run time (finished - started) from the run record (orchest only).</param>
/// <param name="Conflicts">Transition conflicts the engine retried (in-process engine only).</param>
/// <param name="StepRecorded">Trigger only: from asking for the run to the first step's <c>started</c> in the run record.</param>
/// <param name="Timeline">Served DAG runs: where the run's time went, from the run record (<see cref="StepTimeline"/>).</param>
/// <param name="PeakMemory">Peak resident memory of the measured process in bytes (the orchest CLI; not its steps).</param>
/// <param name="Cpu">Served DAG runs and raw-durabletask: the CPU time the run cost the storage emulator, the engine and the steps (<see cref="CpuUse"/>).</param>
/// <remarks>For the trigger scenario <see cref="Wall"/> is the time from asking for the run to the first step's process running.</remarks>
public sealed record Sample(TimeSpan Wall, TimeSpan? EngineWall = null, TimeSpan? StepTime = null, int? Conflicts = null, TimeSpan? StepRecorded = null,
    StepTimeline? Timeline = null, long? PeakMemory = null, CpuUse? Cpu = null);

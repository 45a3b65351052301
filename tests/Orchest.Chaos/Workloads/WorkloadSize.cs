namespace Orchest.Chaos.Workloads;

/// <summary>
/// How much a trial does. Full trials are for the closing note (hundreds of them, hours); small ones
/// run in the test command, so they stay within a minute each on a loaded 2-core machine. Kills start
/// at 2 s: a run's first step starts 1.5-3 s after its submission on a loaded machine. A long step
/// (<see cref="LongStepSeconds"/>) outlives the hosts' 6 s work-item visibility timeout: its message must
/// stay hidden while it runs, or a live host's step runs twice. <see cref="Pushes"/> runs are started by git
/// pushes, the first of them delivered to the victim just before the kill (up to <see cref="PushLeadSeconds"/>:
/// about as long as a handling takes here, so it dies at every stage of it), and redelivered within
/// <see cref="RedeliverWithinSeconds"/> of the kill when it got no answer: before and after the takeover delay.
/// </summary>
public sealed record WorkloadSize(
    int Runs, int Cancels, int ChainFrom, int ChainTo, int WidthFrom, int WidthTo, double SleepFrom, double SleepTo,
    double SubmitWindow, double CancelWindow, double KillFrom, double KillTo, double RestartWindow, double LongStepChance = 0,
    int Pushes = 0)
{
    public const double LongStepSeconds = 9;

    public const double PushLeadSeconds = 0.6;

    public const double RedeliverWithinSeconds = 10;

    public static WorkloadSize Full { get; } = new(
        Runs: 8, Cancels: 2, ChainFrom: 3, ChainTo: 5, WidthFrom: 3, WidthTo: 5, SleepFrom: 0.3, SleepTo: 2.0,
        SubmitWindow: 5, CancelWindow: 5, KillFrom: 2, KillTo: 14, RestartWindow: 8, LongStepChance: 0.5, Pushes: 3);

    public static WorkloadSize Small { get; } = new(
        Runs: 4, Cancels: 1, ChainFrom: 2, ChainTo: 3, WidthFrom: 2, WidthTo: 3, SleepFrom: 0.2, SleepTo: 1.2,
        SubmitWindow: 2, CancelWindow: 3, KillFrom: 2, KillTo: 7, RestartWindow: 4, Pushes: 2);
}

namespace Orchest.Benchmarks.Measuring;

/// <summary>
/// CPU time spent during one run by the parts of a served engine (all their threads, on every core): the storage
/// emulator (every Azurite process, whoever its clients are), the engine's process (the <c>orchest serve</c> host;
/// for raw-durabletask the benchmark's own process, which hosts it), and the steps' processes the engine waited for
/// (sandbox, interpreter, whatever they started). Divided by the run's steps it says what a step costs the machine.
/// </summary>
public sealed record CpuUse(TimeSpan Storage, TimeSpan Engine, TimeSpan Steps)
{
    public TimeSpan Total => Storage + Engine + Steps;

    /// <summary>Each part's median over <paramref name="uses"/> (the repetitions); null when there are none.</summary>
    public static CpuUse? Median(IReadOnlyCollection<CpuUse> uses) => uses.Count == 0
        ? null
        : new CpuUse(
            Statistics.MedianOf(uses.Select(u => u.Storage))!.Value,
            Statistics.MedianOf(uses.Select(u => u.Engine))!.Value,
            Statistics.MedianOf(uses.Select(u => u.Steps))!.Value);
}

/// <summary>
/// Measures <see cref="CpuUse"/> from <see cref="Start"/> to <see cref="Stop"/>: the storage processes' own CPU and the
/// engine process's own and children's. Null figures when a process could not be read (gone, or not Linux).
/// </summary>
public sealed class CpuMeter
{
    private readonly IReadOnlyList<int> _storage;
    private readonly int _engine;
    private readonly CpuTimes? _storageBefore;
    private readonly CpuTimes? _engineBefore;

    private CpuMeter(IReadOnlyList<int> storage, int engine)
    {
        _storage = storage;
        _engine = engine;
        _storageBefore = Sum(storage);
        _engineBefore = ProcessCpu.Read(engine);
    }

    /// <summary>Starts measuring; null when there is nothing to measure (no storage process found, or no engine process).</summary>
    public static CpuMeter? Start(IReadOnlyList<int> storage, int? engine) =>
        storage.Count == 0 || engine is null ? null : new CpuMeter(storage, engine.Value);

    public CpuUse? Stop()
    {
        var storage = Sum(_storage) - _storageBefore;
        var engine = ProcessCpu.Read(_engine) - _engineBefore;
        return storage is { } s && engine is { } e ? new CpuUse(s.Own, e.Own, e.Children) : null;
    }

    private static CpuTimes? Sum(IReadOnlyList<int> pids)
    {
        var total = new CpuTimes(TimeSpan.Zero, TimeSpan.Zero);
        foreach (var pid in pids)
        {
            if (ProcessCpu.Read(pid) is not { } times)
            {
                return null;
            }

            total += times;
        }

        return total;
    }
}

using System.Collections.Concurrent;
using Orchest.Engine.Ports;

namespace Orchest.Engine.Tests;

/// <summary>A step runner that records when each step starts and ends (and how many run at once).</summary>
internal sealed class RecordingRunner(Func<StepLaunch, bool>? fails = null, TimeSpan? work = null) : IStepRunner
{
    private long _clock;
    private int _running;
    private int _maxRunning;

    public ConcurrentQueue<(string StepUuid, bool IsStart, long Tick)> Events { get; } = new();

    public int MaxConcurrent => _maxRunning;

    public string Name => "recording";

    public async Task<StepExit> RunAsync(StepLaunch launch, IStepLog log, CancellationToken cancellationToken = default)
    {
        Events.Enqueue((launch.StepUuid, true, Interlocked.Increment(ref _clock)));
        var now = Interlocked.Increment(ref _running);
        InterlockedMax(ref _maxRunning, now);
        try
        {
            await Task.Delay(work ?? TimeSpan.FromMilliseconds(Random.Shared.Next(0, 3)), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return new StepExit(143, "stopped", Stopped: true);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            Events.Enqueue((launch.StepUuid, false, Interlocked.Increment(ref _clock)));
        }

        return fails?.Invoke(launch) == true ? new StepExit(1, "exited with code 1") : new StepExit(0);
    }

    public long StartOf(string uuid) => Events.Single(e => e.StepUuid == uuid && e.IsStart).Tick;

    public long EndOf(string uuid) => Events.Single(e => e.StepUuid == uuid && !e.IsStart).Tick;

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

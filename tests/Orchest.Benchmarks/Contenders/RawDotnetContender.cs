using System.Diagnostics;
using Orchest.Benchmarks.Measuring;
using Orchest.Benchmarks.Scenarios;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Contenders;

/// <summary>
/// A small .NET driver in this process: starts each step as soon as its parents finished, at most P at
/// once, with System.Diagnostics.Process and output drained, as orchest's process runner starts them.
/// The gap between this and raw-bash is what .NET process spawning costs; between this and orchest,
/// what the engine adds.
/// </summary>
public sealed class RawDotnetContender : IContender
{
    public string Name => "raw-dotnet";
    public string Description => ".NET driver: Process.Start per step as soon as its parents finished, P at once";
    public string? Unavailable => null;
    public bool WarmUp => true;

    public bool Supports(IScenario scenario) => scenario.Kind == ScenarioKind.Dag;

    public async Task<Sample> RunAsync(Workload workload, RunContext context, CancellationToken cancellationToken = default)
    {
        WorkloadFolder.WriteSteps(workload, context.Directory, orchest: false);
        var clock = Stopwatch.StartNew();
        using var slots = new SemaphoreSlim(context.Parallelism);
        var finished = new Dictionary<string, Task>(StringComparer.Ordinal);
        foreach (var step in workload.Steps)
        {
            var parents = step.Parents.Select(p => finished[p]).ToArray();
            finished[step.Id] = RunStepAsync(step, parents, slots, context, cancellationToken);
        }

        await Task.WhenAll(finished.Values).WaitAsync(context.Timeout, cancellationToken);
        return new Sample(clock.Elapsed);
    }

    private static async Task RunStepAsync(WorkStep step, Task[] parents, SemaphoreSlim slots, RunContext context, CancellationToken cancellationToken)
    {
        await Task.WhenAll(parents);
        await slots.WaitAsync(cancellationToken);
        try
        {
            var start = new ProcessStartInfo(context.Interpreters.For(step.Kind))
            {
                WorkingDirectory = context.Directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(step.FileName);
            using var process = Process.Start(start)!;
            var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(cancellationToken), process.StandardError.ReadToEndAsync(cancellationToken));
            await process.WaitForExitAsync(cancellationToken);
            await drain;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"step {step.Id} exited with {process.ExitCode}");
            }
        }
        finally
        {
            slots.Release();
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Orchest.Benchmarks.Measuring;
using Orchest.Benchmarks.Scenarios;
using Orchest.Benchmarks.Workloads;
using Orchest.Durable.AzureStorage;

namespace Orchest.Benchmarks.Contenders;

/// <summary>
/// The served scenarios' lower bound: Durable Task alone, as the product hosts it (DurableTask.Core's
/// <see cref="TaskHubWorker"/> on <see cref="AzureStorageOrchestrationService"/>, the benchmark's Azurite,
/// the product's task hub defaults, activity slots = the parallelism), with nothing of Orchest: one
/// orchestration per run calls one activity per step once its parents ended, and each activity spawns
/// the step's interpreter (unsandboxed, output drained, no log, no record, no projection). The wall is
/// from right before the instance is created to the completion its instance row records (same clock).
/// The worker runs in the benchmark's own process and starts on first use (the session's warm-up); the
/// run's <see cref="CpuUse"/> counts that process as the engine.
/// </summary>
public sealed class RawDurableTaskContender(string? azuriteConnectionString, StorageProcesses storage, int parallelism) : IContender, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AzureStorageOrchestrationService? _service;
    private TaskHubWorker? _worker;
    private TaskHubClient? _client;

    public string Name => ContenderNames.RawDurableTask;

    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"Durable Task alone (DurableTask.Core TaskHubWorker on DurableTask.AzureStorage, the same Azurite, the product's task hub defaults, {parallelism} activity slots): an activity per step spawning its interpreter; wall to the instance's recorded completion");

    public string? Unavailable => azuriteConnectionString is null ? "Azurite not running" : null;

    public bool WarmUp => false;

    public bool Supports(IScenario scenario) => scenario is ChainScenario or FanOutScenario;

    public async Task<Sample> RunAsync(Workload workload, RunContext context, CancellationToken cancellationToken = default)
    {
        WorkloadFolder.WriteSteps(workload, context.Directory, orchest: false);
        var client = await StartAsync();
        var input = new RawDagInput
        {
            Steps = workload.Steps.Select(s => new RawDagStep
            {
                Id = s.Id, Parents = [.. s.Parents], Interpreter = context.Interpreters.For(s.Kind), File = s.FileName, Directory = context.Directory,
            }).ToList(),
        };
        var cpu = CpuMeter.Start(storage.Pids, Environment.ProcessId);
        var sent = DateTime.UtcNow;
        var instance = await client.CreateOrchestrationInstanceAsync(typeof(RawDagOrchestration), input);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var state = await client.GetOrchestrationStateAsync(instance);
            switch (state?.OrchestrationStatus)
            {
                case OrchestrationStatus.Completed:
                    return new Sample(state.CompletedTime - sent, Cpu: cpu?.Stop());
                case OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled:
                    throw new InvalidOperationException($"raw Durable Task run ended {state.OrchestrationStatus}: {state.Output}");
            }

            if (clock.Elapsed > context.Timeout)
            {
                await client.TerminateInstanceAsync(instance, "benchmark timeout");
                throw new TimeoutException($"raw Durable Task run did not end within {context.Timeout.TotalSeconds:0} s.");
            }

            // As the served contenders poll: 5% of the time waited so far (10 ms to 5 s), never adding to the wall.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(clock.Elapsed.TotalMilliseconds / 20, 10, 5000)), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.StopAsync(isForced: true);
            _worker.Dispose();
        }

        _service?.Dispose();
        _gate.Dispose();
    }

    private async Task<TaskHubClient> StartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_client is not null)
            {
                return _client;
            }

            var hub = "rawdt" + Guid.NewGuid().ToString("N")[..12];
            _service = new AzureStorageOrchestrationService(new TaskHubOptions().ToServiceSettings(azuriteConnectionString!, hub, "bench", parallelism));
            await _service.CreateIfNotExistsAsync();
            _worker = new TaskHubWorker(_service);
            _worker.AddTaskOrchestrations(typeof(RawDagOrchestration));
            _worker.AddTaskActivities(typeof(RawStepActivity));
            await _worker.StartAsync();
            return _client = new TaskHubClient(_service);
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>What <see cref="RawDagOrchestration"/> runs: the workload's steps, parents first.</summary>
public sealed class RawDagInput
{
    public List<RawDagStep> Steps { get; set; } = [];
}

/// <summary>One step: its parents, and the interpreter, file and folder its activity runs.</summary>
public sealed class RawDagStep
{
    public string Id { get; set; } = "";

    public List<string> Parents { get; set; } = [];

    public string Interpreter { get; set; } = "";

    public string File { get; set; } = "";

    public string Directory { get; set; } = "";
}

/// <summary>Each step is an activity started once every parent's activity ended (steps are listed parents first).</summary>
public sealed class RawDagOrchestration : TaskOrchestration<int, RawDagInput>
{
    public override async Task<int> RunTask(OrchestrationContext context, RawDagInput input)
    {
        var ended = new Dictionary<string, Task<int>>(StringComparer.Ordinal);
        foreach (var step in input.Steps)
        {
            ended[step.Id] = RunAfterAsync(context, step, step.Parents.Select(p => ended[p]).ToList());
        }

        await Task.WhenAll(ended.Values);
        return ended.Count;
    }

    private static async Task<int> RunAfterAsync(OrchestrationContext context, RawDagStep step, List<Task<int>> parents)
    {
        await Task.WhenAll(parents);
        return await context.ScheduleTask<int>(typeof(RawStepActivity), step);
    }
}

/// <summary>Spawns the step's interpreter on its file and waits for it; a non-zero exit fails the activity.</summary>
public sealed class RawStepActivity : AsyncTaskActivity<RawDagStep, int>
{
    protected override async Task<int> ExecuteAsync(TaskContext context, RawDagStep input)
    {
        var start = new ProcessStartInfo(input.Interpreter)
        {
            WorkingDirectory = input.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(input.File);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await Task.WhenAll(output, errors);
        return process.ExitCode == 0
            ? 0
            : throw new InvalidOperationException($"step {input.Id} exited with {process.ExitCode}: {await errors}");
    }
}

using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Entities;
using DurableTask.Core.Entities.OperationFormat;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchest.Engine.Execution;

namespace Orchest.Durable.AzureStorage;

/// <summary>
/// The task hub of <c>orchest serve</c>: an <see cref="AzureStorageOrchestrationService"/>, a client on it,
/// and (hosts with the worker role) a <see cref="TaskHubWorker"/> running the orchestrators, activities
/// and entities of <see cref="DurableTasks"/> through Microsoft.DurableTask.Worker's shims, plus the
/// watcher that stops steps of runs that must stop. On shutdown, running steps are stopped first and
/// reported as stopped by their host, so their runs dispatch them again elsewhere at once.
/// </summary>
public sealed class OrchestTaskHub : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(20);

    // DurableTask.AzureStorage's stop (forced or not) waits for its partition manager to release the
    // leases, which retries for as long as storage does not answer: with storage away a host never exited.
    private static readonly TimeSpan ForcedStop = TimeSpan.FromSeconds(10);

    private readonly IServiceProvider _services;
    private readonly DurableTasks _tasks;
    private readonly bool _runsWork;
    private readonly ILoggerFactory _loggers;
    private readonly AzureStorageOrchestrationService _service;
    private readonly DurableTaskShimFactory _shims;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private TaskHubWorker? _worker;
    private Task? _watcher;

    public OrchestTaskHub(IServiceProvider services, DurableTasks tasks, AzureStorageOrchestrationServiceSettings settings, bool runsWork, ILoggerFactory loggers)
    {
        _services = services;
        _tasks = tasks;
        _runsWork = runsWork;
        _loggers = loggers;
        Settings = settings;
        _service = new AzureStorageOrchestrationService(settings);
        Client = new TaskHubClient(_service, new SystemTextJsonConverter(), loggers);
        _shims = new DurableTaskShimFactory(
            new DurableTaskWorkerOptions { DataConverter = new JsonDataConverter(DurableJson.Options), EnableEntitySupport = true }, loggers);
    }

    public AzureStorageOrchestrationServiceSettings Settings { get; }

    /// <summary>Whether this host runs orchestrations, entities and step activities (role "worker").</summary>
    public bool RunsWork => _runsWork;

    public TaskHubClient Client { get; }

    /// <summary>Completes once the hub's storage exists (clients wait for it).</summary>
    public Task Ready => _ready.Task;

    /// <summary>Deletes the history of instances created in [from, to) that ended with one of <paramref name="statuses"/>; returns how many.</summary>
    public async Task<int> PurgeAsync(DateTime from, DateTime to, IEnumerable<OrchestrationStatus> statuses)
    {
        var result = await _service.PurgeInstanceHistoryAsync(from, to, statuses);
        return result.InstancesDeleted;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _service.CreateIfNotExistsAsync();
            if (_runsWork)
            {
                _worker = new TaskHubWorker(new EntitiesWithoutExtendedSessions(_service, _loggers.CreateLogger<OrchestTaskHub>()), new Orchestrations(this), new Activities(this), new NoEntities(), _loggers);
                _worker.AddEntityDispatcherMiddleware(RunEntityBatchAsync);
                await _worker.StartAsync();
                _watcher = _services.GetRequiredService<StepStopWatcher>().RunAsync(_stopping.Token);
            }

            _ready.TrySetResult();
        }
        catch (Exception ex)
        {
            _ready.TrySetException(ex);
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_worker is null)
        {
            return;
        }

        _services.GetRequiredService<StepHost>().Stopping();
        await _stopping.CancelAsync();
        var graceful = _worker.StopAsync(isForced: false);
        if (await Task.WhenAny(graceful, Task.Delay(GracefulStop, CancellationToken.None)) != graceful)
        {
            var forced = _worker.StopAsync(isForced: true);
            if (await Task.WhenAny(forced, Task.Delay(ForcedStop, CancellationToken.None)) != forced)
            {
                // Left behind: its leases expire and other hosts take the partitions; its steps were stopped first
                // (running attempts end within their runner's kill grace, awaited here).
                Logs.TaskHubNotStopped(_loggers.CreateLogger<OrchestTaskHub>(), GracefulStop + ForcedStop);
                await StepsEndedAsync(ForcedStop);
            }
        }

        if (_watcher is not null)
        {
            await _watcher;
        }
    }

    /// <summary>Waits (up to <paramref name="limit"/>) until no step attempt runs on this host.</summary>
    private async Task StepsEndedAsync(TimeSpan limit)
    {
        var attempts = _services.GetRequiredService<StepAttempts>();
        var deadline = DateTime.UtcNow + limit;
        while (attempts.Running > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _worker?.Dispose();
        _service.Dispose();
        _stopping.Dispose();
        await Task.CompletedTask;
    }

    // Entities are made here rather than by an object manager: DurableTask.Core asks its manager by
    // name only, and the shim needs the instance id, which only the batch request carries.
    private async Task RunEntityBatchAsync(DurableTask.Core.Middleware.DispatchMiddlewareContext context, Func<Task> next)
    {
        var request = context.GetProperty<EntityBatchRequest>();
        var id = EntityId.FromString(request.InstanceId!);
        var entity = _tasks.CreateEntity(id.Name, _services)
            ?? throw new InvalidOperationException($"No entity named \"{id.Name}\" is registered.");
        var result = await _shims.CreateEntity(id.Name, entity, id).ExecuteOperationBatchAsync(request);
        context.SetProperty(result);
        await next();
    }

    private sealed class Orchestrations(OrchestTaskHub hub) : INameVersionObjectManager<TaskOrchestration>
    {
        public void Add(ObjectCreator<TaskOrchestration> creator) => throw new NotSupportedException();

        public TaskOrchestration? GetObject(string name, string? version) =>
            hub._tasks.CreateOrchestrator(name, hub._services) is { } orchestrator
                ? hub._shims.CreateOrchestration(name, orchestrator, parent: null)
                : null;
    }

    private sealed class Activities(OrchestTaskHub hub) : INameVersionObjectManager<TaskActivity>
    {
        public void Add(ObjectCreator<TaskActivity> creator) => throw new NotSupportedException();

        public TaskActivity? GetObject(string name, string? version) =>
            hub._tasks.CreateActivity(name, hub._services) is { } activity ? hub._shims.CreateActivity(name, activity) : null;
    }

    private sealed class NoEntities : INameVersionObjectManager<TaskEntity>
    {
        public void Add(ObjectCreator<TaskEntity> creator) => throw new NotSupportedException();

        public TaskEntity? GetObject(string name, string? version) => null;
    }
}

using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.DependencyInjection;

namespace Orchest.Durable;

/// <summary>
/// The orchestrators, activities and entities a host runs, by name, each made per call from the host's
/// services. <c>orchest serve</c> registers them on DurableTask.Core from this list; the Azure Functions
/// app has a <c>[Function]</c> for each.
/// </summary>
public sealed class DurableTasks
{
    private readonly Dictionary<string, Func<IServiceProvider, ITaskOrchestrator>> _orchestrators = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Func<IServiceProvider, ITaskActivity>> _activities = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Func<IServiceProvider, ITaskEntity>> _entities = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Runs, their steps and their projection; jobs and their activities (which need the host's <see cref="Jobs.IJobRuns"/>);
    /// the hub's housekeeping (which needs the host's <see cref="Housekeeping.IHousekeeping"/>).
    /// </summary>
    public static DurableTasks Runs()
    {
        var tasks = new DurableTasks();
        tasks.AddOrchestrator(PipelineRunOrchestrator.Name, _ => new PipelineRunOrchestrator());
        tasks.AddActivity(RunStepActivity.Name, Make<RunStepActivity>);
        tasks.AddActivity(StartRunServicesActivity.Name, Make<StartRunServicesActivity>);
        tasks.AddActivity(StopRunServicesActivity.Name, Make<StopRunServicesActivity>);
        tasks.AddEntity(RunProjectionEntity.Name, Make<RunProjectionEntity>);
        tasks.AddOrchestrator(Jobs.JobOrchestrator.Name, _ => new Jobs.JobOrchestrator());
        tasks.AddActivity(Jobs.StartJobTickActivity.Name, Make<Jobs.StartJobTickActivity>);
        tasks.AddActivity(Jobs.RecordJobActivity.Name, Make<Jobs.RecordJobActivity>);
        tasks.AddActivity(Jobs.CountJobRunsActivity.Name, Make<Jobs.CountJobRunsActivity>);
        tasks.AddActivity(Jobs.CancelJobRunsActivity.Name, Make<Jobs.CancelJobRunsActivity>);
        tasks.AddOrchestrator(Housekeeping.HousekeepingOrchestrator.Name, _ => new Housekeeping.HousekeepingOrchestrator());
        tasks.AddActivity(Housekeeping.HousekeepingActivity.Name, Make<Housekeeping.HousekeepingActivity>);
        return tasks;
    }

    public IReadOnlyCollection<string> Orchestrators => _orchestrators.Keys;
    public IReadOnlyCollection<string> Activities => _activities.Keys;
    public IReadOnlyCollection<string> Entities => _entities.Keys;

    public DurableTasks AddOrchestrator(string name, Func<IServiceProvider, ITaskOrchestrator> create)
    {
        _orchestrators.Add(name, create);
        return this;
    }

    public DurableTasks AddActivity(string name, Func<IServiceProvider, ITaskActivity> create)
    {
        _activities.Add(name, create);
        return this;
    }

    public DurableTasks AddEntity(string name, Func<IServiceProvider, ITaskEntity> create)
    {
        _entities.Add(name, create);
        return this;
    }

    public ITaskOrchestrator? CreateOrchestrator(string name, IServiceProvider services) =>
        _orchestrators.TryGetValue(name, out var create) ? create(services) : null;

    public ITaskActivity? CreateActivity(string name, IServiceProvider services) =>
        _activities.TryGetValue(name, out var create) ? create(services) : null;

    public ITaskEntity? CreateEntity(string name, IServiceProvider services) =>
        _entities.TryGetValue(name, out var create) ? create(services) : null;

    private static T Make<T>(IServiceProvider services) => ActivatorUtilities.CreateInstance<T>(services);
}

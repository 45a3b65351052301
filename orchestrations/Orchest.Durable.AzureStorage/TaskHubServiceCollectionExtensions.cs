using DurableTask.AzureStorage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orchest.Durable.AzureStorage;

public static class TaskHubServiceCollectionExtensions
{
    /// <summary>
    /// <c>orchest serve</c>'s Durable Task runtime: <see cref="OrchestTaskHub"/> (a hosted service) on the
    /// account of <paramref name="connectionString"/>, and <see cref="IDurableRuns"/> over its client. With
    /// <paramref name="runsWork"/> the host also runs orchestrations, entities and step activities
    /// (needs <see cref="DurableServiceCollectionExtensions.AddOrchestDurableRuns"/>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">Configuration (section <c>Orchest:TaskHub</c>).</param>
    /// <param name="connectionString">The storage account (AzureWebJobsStorage).</param>
    /// <param name="defaultName">The hub name when none is configured.</param>
    /// <param name="runsWork">Whether this host runs orchestrations and steps (role "worker").</param>
    /// <param name="hostParallelism">Steps this host runs at once (when Orchest:TaskHub:MaxConcurrentActivities is not set).</param>
    /// <param name="runsTimers">Whether this host deletes expired history (role "timers").</param>
    public static IServiceCollection AddOrchestTaskHub(
        this IServiceCollection services, IConfiguration configuration, string connectionString, string defaultName, bool runsWork, int hostParallelism,
        bool runsTimers = false)
    {
        var options = new TaskHubOptions();
        configuration.GetSection(TaskHubOptions.Section).Bind(options);
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new OptionsValidationException(nameof(TaskHubOptions), typeof(TaskHubOptions), problems);
        }

        services.AddSingleton(options);
        services.AddSingleton(sp =>
        {
            var hostId = sp.GetService<StepHostOptions>()?.HostId ?? $"{Environment.MachineName}:{Environment.ProcessId}";
            var settings = new AzureStorageOrchestrationServiceSettings
            {
                StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
                TaskHubName = options.Name ?? defaultName,
                WorkerId = hostId,
                PartitionCount = options.PartitionCount,
                WorkItemQueueVisibilityTimeout = options.WorkItemVisibilityTimeout,
                ControlQueueVisibilityTimeout = options.ControlQueueVisibilityTimeout,
                LeaseInterval = options.LeaseInterval,
                LeaseRenewInterval = options.LeaseRenewInterval,
                LeaseAcquireInterval = options.LeaseAcquireInterval,
                MaxQueuePollingInterval = options.MaxQueuePollingInterval,
                ExtendedSessionsEnabled = options.ExtendedSessions,
                ExtendedSessionIdleTimeout = options.ExtendedSessionIdleTimeout,
                MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities > 0
                    ? options.MaxConcurrentActivities
                    : Math.Max(1, hostParallelism),
                MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestrations,
                MaxConcurrentTaskEntityWorkItems = options.MaxConcurrentEntities,
                UseSeparateQueueForEntityWorkItems = true,
                LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
            };
            return new OrchestTaskHub(sp, sp.GetRequiredService<DurableTasks>(), settings, runsWork, sp.GetRequiredService<ILoggerFactory>());
        });
        services.AddHostedService(sp => sp.GetRequiredService<OrchestTaskHub>());
        services.AddSingleton<IDurableRuns, DurableTaskCoreRuns>();
        if (runsTimers)
        {
            services.AddHostedService<TaskHubHistoryPurge>();
        }

        return services;
    }
}

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
    /// account of <paramref name="connectionString"/>, and <see cref="IDurableRuns"/> and <see cref="Jobs.IDurableJobs"/> over its client. With
    /// <paramref name="runsWork"/> the host also runs orchestrations, entities and step activities
    /// (needs <see cref="DurableServiceCollectionExtensions.AddOrchestDurableRuns"/>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">Configuration (section <c>Orchest:TaskHub</c>).</param>
    /// <param name="connectionString">The storage account (AzureWebJobsStorage).</param>
    /// <param name="defaultName">The hub name when none is configured.</param>
    /// <param name="runsWork">Whether this host runs orchestrations and steps (role "worker").</param>
    /// <param name="hostParallelism">Steps this host runs at once (when Orchest:TaskHub:MaxConcurrentActivities is not set).</param>
    /// <param name="runsTimers">Whether this host deletes expired history and keeps the housekeeping orchestration going (role "timers").</param>
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
            var settings = options.ToServiceSettings(
                connectionString, options.Name ?? defaultName, hostId,
                options.MaxConcurrentActivities > 0 ? options.MaxConcurrentActivities : Math.Max(1, hostParallelism),
                sp.GetRequiredService<ILoggerFactory>());
            return new OrchestTaskHub(sp, sp.GetRequiredService<DurableTasks>(), settings, runsWork, sp.GetRequiredService<ILoggerFactory>());
        });
        services.AddHostedService(sp => sp.GetRequiredService<OrchestTaskHub>());
        services.AddSingleton<IDurableRuns, DurableTaskCoreRuns>();
        services.AddSingleton<Jobs.IDurableJobs, DurableTaskCoreJobs>();
        services.AddSingleton<Housekeeping.IDurableHousekeeping, DurableTaskCoreHousekeeping>();
        if (runsTimers)
        {
            services.AddHostedService<TaskHubHistoryPurge>();
            services.AddHostedService<HousekeepingStarter>();
        }

        return services;
    }
}

using Azure.Core.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orchest.Durable;
using Orchest.Durable.AzureStorage;
using Orchest.Durable.Housekeeping;
using Orchest.Durable.Jobs;
using Orchest.Functions.Api;
using Orchest.Functions.Azure.Durable;
using Orchest.Functions.Azure.Http;
using Orchest.Functions.Hosting;
using Orchest.Functions.Jobs;
using Orchest.Functions.Timers;

namespace Orchest.Functions.Azure.Hosting;

/// <summary>
/// DI composition of the Functions app: the same services of served runs as <c>orchest serve</c>; the task
/// hub itself is the Functions host's (host.json), reached through the Durable Task extension.
/// </summary>
public static class FunctionsAppServices
{
    public static IServiceCollection AddOrchestFunctionsApp(this IServiceCollection services, IConfiguration configuration)
    {
        // The host checks API keys (function keys) before a trigger runs, so none is configured here.
        services.AddOptions<OrchestHostOptions>()
            .Bind(configuration.GetSection(OrchestHostOptions.Section))
            .Validate(o => o.MaxRequestBodyBytes > 0, "Orchest:MaxRequestBodyBytes must be positive.")
            .ValidateOnStart();

        services.AddOrchestServedRuns(configuration);

        // Only ProgressInterval is read here (it travels in each run's input); the hub's own settings are in host.json.
        var hub = new TaskHubOptions();
        configuration.GetSection(TaskHubOptions.Section).Bind(hub);
        services.AddSingleton(hub);

        services.AddScoped<InvocationDurableClient>();
        services.AddScoped<IDurableRuns, FunctionsDurableRuns>();
        services.AddScoped<RunStarter>();
        services.AddScoped<IDurableJobs, FunctionsDurableJobs>();
        services.AddScoped<IJobRuns, JobRuns>();
        services.AddSingleton<Orchest.Functions.GitHooks.GitHookSecrets>();
        services.AddSingleton<Orchest.Functions.GitHooks.GitDeliveryLog>();
        services.AddSingleton<Orchest.Functions.GitHooks.ProjectPushLock>();
        services.AddScoped<Orchest.Functions.GitHooks.DeclaredJobs>();
        services.AddScoped<Orchest.Functions.GitHooks.GitPushHandler>();
        services.AddScoped<Orchest.Functions.GitHooks.GitDeliveryHandler>();

        // The hub's housekeeping (job repair, git deliveries taken over and pruned): an eternal orchestration, as on serve; its
        // rounds reach the task hub through the activity's client binding, hence scoped.
        services.AddSingleton(Orchest.Functions.GitHooks.GitHookOptions.From(configuration));
        services.AddScoped<JobRepair>();
        services.AddScoped<GitDeliveryRecovery>();
        services.AddScoped<IHousekeeping, Housekeeping>();
        services.AddScoped<IDurableHousekeeping, FunctionsDurableHousekeeping>();
        services.AddSingleton<ActivityFunctions>();
        services.AddSingleton<ApiHandlers>();
        services.AddHostedService<RegistryInitializer>();
        services.AddHostedService<StepHostLifetime>();

        // Working copies live on each instance's disk, so every instance sweeps its own: a hosted service,
        // not a timer trigger (which fires on one instance only).
        services.AddHostedService<WorkingCopySweeper>();

        // Every instance sends webhooks from the outbox (the projection entity queues them wherever it runs).
        services.AddOrchestWebhookSender();
        services.AddOrchestApiResults();

        // Orchestration inputs, activity inputs and results, events and entity state: the extension serialises
        // them all with the worker's serializer (its DataConverter wraps it), so this makes them DurableJson,
        // what `orchest serve` writes.
        services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(DurableJson.Options));
        return services;
    }
}

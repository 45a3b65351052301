using Orchest.Durable.AzureStorage;
using Orchest.Durable.Housekeeping;
using Orchest.Durable.Jobs;
using Orchest.Engine.Execution;
using Orchest.Functions.Api;
using Orchest.Functions.Jobs;
using Orchest.Functions.Timers;
using Orchest.Functions.Ui;
using Orchest.Storage.Azure;

namespace Orchest.Functions.Hosting;

/// <summary>DI composition of <c>orchest serve</c>: the services of served runs, its own Durable Task hub, the triggers of the configured roles.</summary>
public static class FunctionHostServices
{
    public static IServiceCollection AddOrchestFunctionHost(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OrchestHostOptions>()
            .Configure(options =>
            {
                configuration.GetSection(OrchestHostOptions.Section).Bind(options);
                if (configuration["ORCHEST_API_KEY"] is { Length: > 0 } key)
                {
                    options.ApiKeys.Add(key);
                }
            })
            .Validate(o => o.ApiKeys.Count > 0 || !o.HasRole("api"),
                "The api role needs an API key: set ORCHEST_API_KEY or Orchest:ApiKeys:0.")
            .Validate(o => o.MaxRequestBodyBytes > 0, "Orchest:MaxRequestBodyBytes must be positive.")
            .ValidateOnStart();

        var engineOptions = new EngineOptions();
        configuration.GetSection("Orchest:Engine").Bind(engineOptions);
        var roles = new OrchestHostOptions();
        configuration.GetSection(OrchestHostOptions.Section).Bind(roles);
        var storage = new AzureStorageOptions();
        configuration.GetSection(AzureStorageOptions.SectionName).Bind(storage);
        var connection = configuration[AzureStorageOptions.ConnectionStringKey] ?? storage.ConnectionString;

        services.AddOrchestServedRuns(configuration);
        services.AddOrchestTaskHub(
            configuration, connection, "orchest" + storage.NamePrefix, runsWork: roles.HasRole("worker"), engineOptions.HostParallelism,
            runsTimers: roles.HasRole("timers"));
        services.AddSingleton<RunStarter>();
        services.AddSingleton<IJobRuns, JobRuns>();
        services.AddSingleton<GitHooks.GitHookSecrets>();
        services.AddSingleton<GitHooks.GitDeliveryLog>();
        services.AddSingleton<GitHooks.DeclaredJobs>();
        services.AddSingleton<GitHooks.ProjectPushLock>();
        services.AddSingleton<GitHooks.GitPushHandler>();
        services.AddSingleton<GitHooks.GitDeliveryHandler>();
        services.AddSingleton<GitDeliveryRecovery>();
        services.AddSingleton(GitHooks.GitHookOptions.From(configuration));
        services.AddSingleton<JobRepair>();
        services.AddSingleton<IHousekeeping, Housekeeping>();
        services.AddHostedService<RegistryInitializer>();

        if (roles.HasRole("worker"))
        {
            services.AddOrchestWebhookSender();
        }

        if (roles.HasRole("timers"))
        {
            services.AddHostedService<WorkingCopySweeper>();
        }

        services.AddOrchestApiResults();
        services.AddOpenApi();
        if (roles.HasRole("api"))
        {
            services.AddOrchestUi();
        }

        return services;
    }
}

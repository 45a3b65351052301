using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Orchest.Engine.Execution;
using Orchest.Engine.Ports;
using Orchest.Functions.Api;
using Orchest.Functions.Projects;
using Orchest.Functions.Timers;
using Orchest.Functions.Workers;
using Orchest.Git;
using Orchest.Runners.Process;
using Orchest.Storage.Azure;
using Orchest.Storage.Azure.Queues;

namespace Orchest.Functions.Hosting;

/// <summary>DI composition of the host: storage, git, the engine, the triggers of the configured roles.</summary>
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
        var processOptions = new ProcessRunnerOptions();
        configuration.GetSection("Orchest:Runners:Process").Bind(processOptions);

        var roles = new OrchestHostOptions();
        configuration.GetSection(OrchestHostOptions.Section).Bind(roles);
        var runsSteps = roles.HasRole("worker");

        services.AddSingleton(TimeProvider.System);
        services.AddOrchestAzureStorage(configuration, engineOptions.LeaseDuration, engineOptions.RetainedOutputSets);
        services.AddOrchestGit(configuration);
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
            var table = new Azure.Data.Tables.TableServiceClient(storage.ConnectionString)
                .GetTableClient(storage.NamePrefix + "orchestprojects");
            return new TableProjectRegistry(table);
        });
        services.AddSingleton<IProjectRepositories, RegistryProjectRepositories>();
        services.AddOrchestStepRunner(configuration, processOptions);
        services.AddSingleton(sp =>
        {
            var engine = new RunEngine(
                sp.GetRequiredService<IRunStore>(),
                sp.GetRequiredService<IWorkQueue>(),
                sp.GetRequiredService<IArtifactStore>(),
                sp.GetRequiredService<IStepRunner>(),
                sp.GetRequiredService<IRunWorkspaces>(),
                engineOptions,
                sp.GetServices<IRunObserver>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<RunEngine>>());
            if (runsSteps)
            {
                // Only a host whose worker runs takes ready steps on the fast path: on any other host
                // they would wait, invisible, in a buffer nobody reads until their lease ran out.
                sp.GetRequiredService<StorageQueueWorkQueue>().IdleSlots = () => engine.Worker.IdleSlots;
            }

            return engine;
        });
        services.AddHostedService<RegistryInitializer>();

        if (runsSteps)
        {
            services.AddHostedService<StepWorkerService>();
        }

        if (roles.HasRole("timers"))
        {
            services.AddHostedService<ReconcilerService>();
            services.AddHostedService<WorkingCopySweeper>();
        }

        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.DictionaryKeyPolicy = null;
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        // Malformed bodies reach ApiExceptionHandler, which says what is wrong with them.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddOpenApi();
        return services;
    }
}

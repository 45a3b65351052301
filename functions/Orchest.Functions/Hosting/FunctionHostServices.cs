using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Orchest.Engine.Execution;
using Orchest.Durable;
using Orchest.Durable.AzureStorage;
using Orchest.Functions.Api;
using Orchest.Functions.Projects;
using Orchest.Functions.Timers;
using Orchest.Git;
using Orchest.Runners.Process;
using Orchest.Storage.Azure;

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
        var storage = new AzureStorageOptions();
        configuration.GetSection(AzureStorageOptions.SectionName).Bind(storage);
        var connection = configuration[AzureStorageOptions.ConnectionStringKey] ?? storage.ConnectionString;

        services.AddSingleton(TimeProvider.System);
        services.AddOrchestAzureStorage(configuration, engineOptions.RetainedOutputSets);
        services.AddOrchestGit(configuration);
        services.AddSingleton(sp =>
        {
            var account = sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
            var table = new Azure.Data.Tables.TableServiceClient(account.ConnectionString)
                .GetTableClient(account.NamePrefix + "orchestprojects");
            return new TableProjectRegistry(table);
        });
        services.AddSingleton<IProjectRepositories, RegistryProjectRepositories>();
        services.AddOrchestStepRunner(configuration, processOptions);
        services.AddOrchestDurableRuns(configuration);
        services.AddOrchestTaskHub(
            configuration, connection, "orchest" + storage.NamePrefix, runsWork: roles.HasRole("worker"), engineOptions.HostParallelism);
        services.AddSingleton<RunStarter>();
        services.AddHostedService<RegistryInitializer>();

        if (roles.HasRole("timers"))
        {
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

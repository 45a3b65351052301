using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Orchest.Durable;
using Orchest.Engine.Execution;
using Orchest.Functions.Api;
using Orchest.Functions.Jobs;
using Orchest.Functions.Projects;
using Orchest.Git;
using Orchest.Runners.Process;
using Orchest.Storage.Azure;

namespace Orchest.Functions.Hosting;

/// <summary>
/// What every host of served runs registers, whatever runs its Durable Task hub: <c>orchest serve</c>
/// (<see cref="FunctionHostServices"/>) and the Azure Functions app. Each host adds its own hub and its
/// own <see cref="IDurableRuns"/>.
/// </summary>
public static class ServedRunServices
{
    /// <summary>
    /// The engine's adapters: storage (<c>AzureWebJobsStorage</c>, <c>Orchest:Storage</c>), git
    /// (<c>Orchest:Git</c>), the project registry, the step runner (<c>Orchest:Runner</c>), what runs
    /// step activities (<see cref="DurableServiceCollectionExtensions.AddOrchestDurableRuns"/>), the jobs'
    /// options (<c>Orchest:Jobs</c>) and events and webhooks (<see cref="EventServices.AddOrchestEvents"/>).
    /// Each host adds <see cref="Durable.Jobs.IJobRuns"/> beside its <see cref="RunStarter"/>.
    /// </summary>
    public static IServiceCollection AddOrchestServedRuns(this IServiceCollection services, IConfiguration configuration)
    {
        var engineOptions = new EngineOptions();
        configuration.GetSection("Orchest:Engine").Bind(engineOptions);
        var processOptions = new ProcessRunnerOptions();
        configuration.GetSection("Orchest:Runners:Process").Bind(processOptions);

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
        services.AddSingleton<HostServiceSupport>();
        services.AddOrchestDurableRuns(configuration);

        var jobs = new JobOptions();
        configuration.GetSection(JobOptions.Section).Bind(jobs);
        if (jobs.Validate() is { Count: > 0 } problems)
        {
            throw new OptionsValidationException(nameof(JobOptions), typeof(JobOptions), problems);
        }

        services.AddSingleton(jobs);
        services.AddSingleton<JobRetention>();
        services.AddOrchestEvents(configuration);
        return services;
    }

    /// <summary>How the HTTP API writes: snake_case JSON, problem details, domain errors mapped in one place.</summary>
    public static IServiceCollection AddOrchestApiResults(this IServiceCollection services)
    {
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
        return services;
    }
}

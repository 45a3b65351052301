using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchest.Engine.Events;
using Orchest.Engine.Ports;
using Orchest.Storage.Azure.Blobs;
using Orchest.Storage.Azure.Definitions;
using Orchest.Storage.Azure.Tables;

namespace Orchest.Storage.Azure;

public static class AzureStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers served mode's storage: <see cref="OrchestStorageAccount"/>, <see cref="TableRunProjection"/> (as
    /// <see cref="IRunProjection"/>), <see cref="RunDefinitionBlobs"/> (as <see cref="IRunDefinitions"/>),
    /// <see cref="BlobArtifactStore"/> (as <see cref="IArtifactStore"/>), the jobs' <see cref="TableJobStore"/>,
    /// <see cref="JobSecretBlobs"/> and <see cref="RunDeletion"/>, and a hosted service creating the
    /// tables and containers at start. Options come from <c>AzureWebJobsStorage</c>, <c>Orchest:SecretsKey</c>
    /// and the section <c>Orchest:Storage</c>; they are validated at start with messages that say what to set.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The host's configuration.</param>
    /// <param name="retainedOutputSets">Committed output sets kept per step besides the latest.</param>
    public static IServiceCollection AddOrchestAzureStorage(this IServiceCollection services, IConfiguration configuration, int retainedOutputSets = 1)
    {
        services.AddOptions<AzureStorageOptions>()
            .Configure(options =>
            {
                configuration.GetSection(AzureStorageOptions.SectionName).Bind(options);
                options.ConnectionString = configuration[AzureStorageOptions.ConnectionStringKey]
                                           ?? configuration[$"Values:{AzureStorageOptions.ConnectionStringKey}"]
                                           ?? options.ConnectionString;
                options.SecretsKey = configuration[AzureStorageOptions.SecretsKeyKey] ?? options.SecretsKey;
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AzureStorageOptions>, AzureStorageOptionsValidation>());

        services.TryAddSingleton(sp => new OrchestStorageAccount(sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value));
        services.TryAddSingleton(sp => new TableRunProjection(sp.GetRequiredService<OrchestStorageAccount>()));
        services.TryAddSingleton<IRunProjection>(sp => sp.GetRequiredService<TableRunProjection>());
        services.TryAddSingleton(sp => new RunDefinitionBlobs(sp.GetRequiredService<OrchestStorageAccount>()));
        services.TryAddSingleton<IRunDefinitions>(sp => sp.GetRequiredService<RunDefinitionBlobs>());
        services.TryAddSingleton(sp => new BlobArtifactStore(
            sp.GetRequiredService<OrchestStorageAccount>(), retainedOutputSets, sp.GetService<ILogger<BlobArtifactStore>>(), sp.GetService<TimeProvider>(),
            sp.GetRequiredService<TableRunProjection>()));
        services.TryAddSingleton<IArtifactStore>(sp => sp.GetRequiredService<BlobArtifactStore>());
        // Job events when events are registered (AddOrchestAzureEvents): the store publishes what it records.
        services.TryAddSingleton<IJobStore>(sp => new TableJobStore(sp.GetRequiredService<OrchestStorageAccount>(), sp.GetService<IJobEvents>()));
        services.TryAddSingleton<IJobSecrets>(sp => new JobSecretBlobs(sp.GetRequiredService<OrchestStorageAccount>()));
        services.TryAddSingleton<IRunDeletion>(sp => new RunDeletion(sp.GetRequiredService<OrchestStorageAccount>(), sp.GetRequiredService<TableRunProjection>()));
        services.AddHostedService<AzureStorageInitializer>();
        return services;
    }

    /// <summary>Reports every problem with its own message.</summary>
    private sealed class AzureStorageOptionsValidation : IValidateOptions<AzureStorageOptions>
    {
        public ValidateOptionsResult Validate(string? name, AzureStorageOptions options)
        {
            var problems = options.Validate();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orchest.Engine.Execution;
using Orchest.Engine.Ports;

namespace Orchest.Durable;

public static class DurableServiceCollectionExtensions
{
    /// <summary>
    /// What runs a served host's step activities: <see cref="StepAttempts"/> (over the registered
    /// <see cref="IArtifactStore"/>, <see cref="IStepRunner"/> and <see cref="IRunWorkspaces"/>),
    /// <see cref="StepStopWatcher"/>, <see cref="StepHost"/> (options from <c>Orchest:Steps</c>), <see cref="RunServiceHost"/>
    /// (over an <see cref="IRunServices"/> when the host registers one), and the
    /// run orchestrations' task list. Hosts (serve, the Functions app) add their own Durable Task runtime.
    /// </summary>
    public static IServiceCollection AddOrchestDurableRuns(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new StepHostOptions();
        configuration.GetSection(StepHostOptions.Section).Bind(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new StepAttempts(
            sp.GetRequiredService<IArtifactStore>(), sp.GetRequiredService<IStepRunner>(), sp.GetRequiredService<IRunWorkspaces>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<StepAttempts>()));
        services.TryAddSingleton<StepStopWatcher>();
        services.TryAddSingleton<StepHost>();
        services.TryAddSingleton<RunServiceHost>();
        services.TryAddSingleton(_ => DurableTasks.Runs());
        return services;
    }
}

using Orchest.Functions.Projects;

namespace Orchest.Functions.Hosting;

/// <summary>Creates the project registry table at start (idempotent).</summary>
internal sealed class RegistryInitializer(TableProjectRegistry registry) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => registry.EnsureCreatedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

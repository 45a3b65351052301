using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orchest.Storage.Azure;

/// <summary>Creates the tables, the queue and the containers once, when the host starts (before the workers poll).</summary>
internal sealed class AzureStorageInitializer(OrchestStorageAccount account, ILogger<AzureStorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await account.InitializeAsync(cancellationToken);
        Logs.StorageInitialized(logger, account.Options.ConnectionStringDescription(), account.Options.NamePrefix);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

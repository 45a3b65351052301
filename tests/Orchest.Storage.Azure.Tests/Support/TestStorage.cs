using Orchest.Testing;

namespace Orchest.Storage.Azure.Tests.Support;

/// <summary>A storage account view with names unique to one test; its tables, queue and containers are deleted on dispose.</summary>
internal sealed class TestStorage : IAsyncDisposable
{
    private TestStorage(AzureStorageOptions options, OrchestStorageAccount account)
    {
        Options = options;
        Account = account;
    }

    public AzureStorageOptions Options { get; }

    public OrchestStorageAccount Account { get; }

    public static async Task<TestStorage> CreateAsync(AzuriteFixture azurite, Action<AzureStorageOptions>? configure = null)
    {
        var options = new AzureStorageOptions
        {
            ConnectionString = azurite.ConnectionString,
            NamePrefix = "t" + Guid.NewGuid().ToString("n")[..12],
            LocalDirectory = Path.Combine(Path.GetTempPath(), "orchest-tests", "served-" + Guid.NewGuid().ToString("n")),
        };
        configure?.Invoke(options);
        var account = new OrchestStorageAccount(options);
        await account.InitializeAsync();
        return new TestStorage(options, account);
    }

    /// <summary>Another host's view of the same names (its own clients).</summary>
    public OrchestStorageAccount OpenAnother(Action<AzureStorageOptions>? configure = null)
    {
        var options = new AzureStorageOptions
        {
            ConnectionString = Options.ConnectionString,
            NamePrefix = Options.NamePrefix,
            LocalDirectory = Options.LocalDirectory,
            SecretsKey = Options.SecretsKey,
        };
        configure?.Invoke(options);
        return new OrchestStorageAccount(options);
    }

    public async ValueTask DisposeAsync()
    {
        await Account.DeleteAllAsync();
        if (Directory.Exists(Options.LocalDirectory))
        {
            Directory.Delete(Options.LocalDirectory, recursive: true);
        }
    }
}

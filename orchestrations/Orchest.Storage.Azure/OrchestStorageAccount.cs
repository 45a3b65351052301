using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Orchest.Storage.Azure.Definitions;

namespace Orchest.Storage.Azure;

/// <summary>
/// The storage account served mode works in: one client per table and container, and the key
/// that encrypts environment variable values. One per host; the stores share it.
/// </summary>
public sealed class OrchestStorageAccount
{
    // Pinned so Azurite (which knows versions up to 2026-06-06) accepts our requests even without
    // --skipApiVersionCheck; real accounts accept it too.
    private const BlobClientOptions.ServiceVersion BlobVersion = BlobClientOptions.ServiceVersion.V2026_06_06;

    private readonly Lock _gate = new();
    private Task? _initialized;

    /// <exception cref="OptionsValidationException">The options are invalid; the message says what to set.</exception>
    public OrchestStorageAccount(AzureStorageOptions options)
    {
        var problems = options.Validate().ToList();
        var connection = StorageConnectionString.Parse(options.ConnectionString);
        if (problems.Count == 0 && string.IsNullOrEmpty(options.SecretsKey) && connection.AccountKey is null)
        {
            problems.Add($"{AzureStorageOptions.ConnectionStringKey} has no AccountKey to derive the secrets key from: "
                         + $"set {AzureStorageOptions.SecretsKeyKey} to the base64 of 32 random bytes (the same on every host), e.g. `openssl rand -base64 32`.");
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(nameof(AzureStorageOptions), typeof(AzureStorageOptions), problems);
        }

        Options = options;
        Secrets = string.IsNullOrEmpty(options.SecretsKey)
            ? SecretsCipher.FromAccountKey(connection.AccountKey!)
            : SecretsCipher.FromConfiguredKey(options.SecretsKey);

        var tables = new TableServiceClient(options.ConnectionString);
        Runs = tables.GetTableClient(options.Table(options.RunsTable));
        RunIndex = tables.GetTableClient(options.Table(options.RunIndexTable));
        Jobs = tables.GetTableClient(options.Table(options.JobsTable));
        var blobs = new BlobServiceClient(options.ConnectionString, new BlobClientOptions(BlobVersion));
        Container = blobs.GetBlobContainerClient(options.Resource(options.Container));
        State = blobs.GetBlobContainerClient(options.Resource(options.StateContainer));
    }

    public AzureStorageOptions Options { get; }

    internal TableClient Runs { get; }
    internal TableClient RunIndex { get; }
    internal TableClient Jobs { get; }
    /// <summary>Output sets (the only container steps get a SAS for).</summary>
    internal BlobContainerClient Container { get; }

    /// <summary>Definitions, logs, executed notebooks.</summary>
    internal BlobContainerClient State { get; }
    internal SecretsCipher Secrets { get; }

    /// <summary>Creates the tables and the containers when missing. Runs once per instance (again after a failure).</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_initialized is null || _initialized.IsFaulted || _initialized.IsCanceled)
            {
                _initialized = CreateResourcesAsync(cancellationToken);
            }

            return _initialized;
        }
    }

    private Task CreateResourcesAsync(CancellationToken cancellationToken) =>
        StorageErrors.GuardAsync($"create the storage resources of {Options.ConnectionStringDescription()}", () => Task.WhenAll(
            Runs.CreateIfNotExistsAsync(cancellationToken),
            RunIndex.CreateIfNotExistsAsync(cancellationToken),
            Jobs.CreateIfNotExistsAsync(cancellationToken),
            Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            State.CreateIfNotExistsAsync(cancellationToken: cancellationToken)));

    /// <summary>Deletes every table and container of this account's names (tests).</summary>
    public async Task DeleteAllAsync(CancellationToken cancellationToken = default)
    {
        await Task.WhenAll(
            Runs.DeleteAsync(cancellationToken),
            RunIndex.DeleteAsync(cancellationToken),
            Jobs.DeleteAsync(cancellationToken),
            Container.DeleteIfExistsAsync(cancellationToken: cancellationToken),
            State.DeleteIfExistsAsync(cancellationToken: cancellationToken));
        lock (_gate)
        {
            _initialized = null;
        }
    }
}

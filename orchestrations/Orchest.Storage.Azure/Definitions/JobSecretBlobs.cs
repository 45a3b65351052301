using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Orchest.Engine.Ports;

namespace Orchest.Storage.Azure.Definitions;

/// <summary>
/// A job's environment variable values as a blob <c>jobs/&lt;job&gt;/environment.json</c> in the state container,
/// sealed by <see cref="SecretsCipher"/> (bound to the job and the name) like a run definition's.
/// </summary>
public sealed class JobSecretBlobs(OrchestStorageAccount account) : IJobSecrets
{
    private readonly BlobContainerClient _container = account.State;
    private readonly SecretsCipher _secrets = account.Secrets;

    public async Task WriteAsync(string jobId, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken = default)
    {
        var document = new StoredEnvironment
        {
            Environment = environment.ToDictionary(v => v.Key, v => _secrets.Encrypt(Owner(jobId), v.Key, v.Value), StringComparer.Ordinal),
        };
        await StorageErrors.GuardAsync($"write the environment of job {jobId}", () => Blob(jobId).UploadAsync(
            BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(document)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken));
    }

    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var operation = $"read the environment of job {jobId}";
        var content = await StorageErrors.GuardAsync(operation, async () =>
        {
            try
            {
                return (await Blob(jobId).DownloadContentAsync(cancellationToken)).Value.Content;
            }
            catch (Exception ex) when (ex.IsStatus(404))
            {
                return null;
            }
        });
        if (content is null)
        {
            return new Dictionary<string, string>();
        }

        var document = StorageErrors.Guard(operation, () => content.ToObjectFromJson<StoredEnvironment>() ?? throw new JsonException("empty document"));
        return document.Environment.ToDictionary(v => v.Key, v => _secrets.Decrypt(Owner(jobId), v.Key, v.Value), StringComparer.Ordinal);
    }

    // Values are bound to "job:<id>", which no run id can be: a job's value cannot be passed off as a run's.
    private static string Owner(string jobId) => "job:" + jobId;

    private BlobClient Blob(string jobId) => _container.GetBlobClient($"jobs/{jobId}/environment.json");

    private sealed class StoredEnvironment
    {
        /// <summary>Name -> sealed value.</summary>
        [JsonPropertyName("environment")]
        public Dictionary<string, string> Environment { get; init; } = [];
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;

namespace Orchest.Storage.Azure.Definitions;

/// <summary>
/// Run definitions as blobs <c>definitions/&lt;run&gt;.json</c>, outside the tables: the pipeline
/// document in clear, environment variable names in clear, their values sealed by <see cref="SecretsCipher"/>.
/// </summary>
public sealed class RunDefinitionBlobs : IRunDefinitions
{
    private readonly BlobContainerClient container;
    private readonly SecretsCipher secrets;

    public RunDefinitionBlobs(OrchestStorageAccount account)
        : this(account.State, account.Secrets)
    {
    }

    internal RunDefinitionBlobs(BlobContainerClient container, SecretsCipher secrets)
    {
        this.container = container;
        this.secrets = secrets;
    }

    public async Task WriteAsync(RunDefinition definition, CancellationToken cancellationToken = default)
    {
        var document = new StoredDefinition
        {
            RunId = definition.RunId,
            Workspace = definition.Workspace,
            PipelineJson = definition.PipelineJson,
            Environment = definition.EnvironmentVariables.ToDictionary(
                v => v.Key, v => secrets.Encrypt(definition.RunId, v.Key, v.Value), StringComparer.Ordinal),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(document);
        await StorageErrors.GuardAsync($"write the definition of run {definition.RunId}", () =>
            Blob(definition.RunId).UploadAsync(
                BinaryData.FromBytes(bytes),
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                cancellationToken));
    }

    public async Task<RunDefinition?> ReadAsync(string runId, CancellationToken cancellationToken = default)
    {
        var content = await StorageErrors.GuardAsync($"read the definition of run {runId}", async () =>
        {
            try
            {
                return (await Blob(runId).DownloadContentAsync(cancellationToken)).Value.Content;
            }
            catch (Exception ex) when (ex.IsStatus(404))
            {
                return null;
            }
        });
        if (content is null)
        {
            return null;
        }

        var document = Deserialize(runId, content);
        return new RunDefinition
        {
            RunId = document.RunId,
            Workspace = document.Workspace,
            PipelineJson = document.PipelineJson,
            EnvironmentVariables = document.Environment.ToDictionary(
                v => v.Key, v => secrets.Decrypt(runId, v.Key, v.Value), StringComparer.Ordinal),
        };
    }

    /// <summary>The raw stored bytes (tests prove values are not in them).</summary>
    internal async Task<byte[]> ReadRawAsync(string runId, CancellationToken cancellationToken) =>
        (await Blob(runId).DownloadContentAsync(cancellationToken)).Value.Content.ToArray();

    private static StoredDefinition Deserialize(string runId, BinaryData content)
    {
        try
        {
            return content.ToObjectFromJson<StoredDefinition>()
                ?? throw new JsonException("empty document");
        }
        catch (JsonException ex)
        {
            throw StorageErrors.Translate($"read the definition of run {runId}", ex)!;
        }
    }

    private BlobClient Blob(string runId) => container.GetBlobClient($"definitions/{runId}.json");

    private sealed class StoredDefinition
    {
        [JsonPropertyName("run_id")]
        public required string RunId { get; init; }

        [JsonPropertyName("workspace")]
        public required string Workspace { get; init; }

        [JsonPropertyName("pipeline_json")]
        public required string PipelineJson { get; init; }

        /// <summary>Name -> sealed value ("v1:" + base64 of nonce, ciphertext, tag).</summary>
        [JsonPropertyName("environment")]
        public Dictionary<string, string> Environment { get; init; } = [];
    }
}

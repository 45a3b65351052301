using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Orchest.Engine.Ports;

namespace Orchest.Storage.Azure.Blobs;

/// <summary>What the HTTP API reads: a set's outputs, their payloads, step logs (also while written), executed notebooks.</summary>
public sealed partial class BlobArtifactStore
{
    /// <summary>The outputs of a set that have both payload and metadata (a payload without metadata is a half write).</summary>
    public async Task<IReadOnlyList<StepOutputInfo>> ListOutputsAsync(StepKey key, string outputSet, CancellationToken cancellationToken = default)
    {
        var prefix = SetPrefix(key, outputSet);
        return await StorageErrors.GuardAsync($"list the outputs of set {outputSet} of step {key.StepUuid}", async () =>
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var blob in _outputs.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
            {
                names.Add(blob.Name[prefix.Length..]);
            }

            var metas = names
                .Where(n => n.EndsWith(OutputStems.MetaSuffix, StringComparison.Ordinal)
                            && names.Contains(n[..^OutputStems.MetaSuffix.Length] + OutputStems.DataSuffix))
                .Order(StringComparer.Ordinal)
                .ToList();
            var outputs = await Task.WhenAll(metas.Select(async meta =>
            {
                var content = await _outputs.GetBlobClient(prefix + meta).DownloadContentAsync(cancellationToken);
                return ParseMeta(meta[..^OutputStems.MetaSuffix.Length], content.Value.Content);
            }));
            return (IReadOnlyList<StepOutputInfo>)outputs.OfType<StepOutputInfo>().ToList();
        });
    }

    /// <summary>The payload of output <paramref name="name"/> (null = the unnamed output); null when the set has no such output.</summary>
    public async Task<Stream?> OpenOutputAsync(StepKey key, string outputSet, string? name, CancellationToken cancellationToken = default) =>
        await OpenAsync(_outputs.GetBlobClient(SetPrefix(key, outputSet) + OutputStems.Of(name) + OutputStems.DataSuffix), 0,
            $"read output {name ?? OutputStems.Unnamed} of step {key.StepUuid}", cancellationToken);

    /// <summary>
    /// A step's log from byte <paramref name="offset"/> on (every attempt, separated by <c>--- attempt N ---</c>
    /// lines); null when the step has no log. For <c>?follow=true</c>, read again from the offset reached
    /// until the step has ended; lines appear at most ~200 ms after the step printed them.
    /// </summary>
    public Task<Stream?> ReadLogAsync(string runId, string stepUuid, long offset = 0, CancellationToken cancellationToken = default) =>
        OpenAsync(_state.GetBlobClient(LogBlobName(runId, stepUuid)), offset, $"read the log of run {runId} step {stepUuid}", cancellationToken);

    public async Task<bool> LogExistsAsync(string runId, string stepUuid, CancellationToken cancellationToken = default) =>
        await StorageErrors.GuardAsync($"read the log of run {runId} step {stepUuid}", async () =>
            (await _state.GetBlobClient(LogBlobName(runId, stepUuid)).ExistsAsync(cancellationToken)).Value);

    /// <summary>The executed notebook of a notebook step; null when there is none.</summary>
    public Task<Stream?> OpenExecutedNotebookAsync(string runId, string stepUuid, CancellationToken cancellationToken = default) =>
        OpenAsync(_state.GetBlobClient(NotebookBlobName(runId, stepUuid)), 0, $"read the notebook of run {runId} step {stepUuid}", cancellationToken);

    private static async Task<Stream?> OpenAsync(BlobClient blob, long offset, string operation, CancellationToken cancellationToken) =>
        await StorageErrors.GuardAsync(operation, async () =>
        {
            try
            {
                var options = new BlobDownloadOptions { Range = new HttpRange(offset) };
                return (await blob.DownloadStreamingAsync(options, cancellationToken)).Value.Content;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return null;
            }
            catch (RequestFailedException ex) when (ex.Status == 416)
            {
                // Nothing past the offset yet.
                return Stream.Null;
            }
        });

    private static StepOutputInfo? ParseMeta(string stem, BinaryData content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            string? Text(string property) => root.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return new StepOutputInfo(
                Text("name"),
                stem,
                Text("serialization") ?? "PICKLE",
                root.TryGetProperty("size", out var size) && size.TryGetInt64(out var bytes) ? bytes : 0,
                DateTimeOffset.TryParse(Text("timestamp"), System.Globalization.CultureInfo.InvariantCulture, out var at) ? at : null,
                Text("producer"));
        }
        catch (JsonException)
        {
            // A step wrote something that is not our metadata: not an output.
            return null;
        }
    }
}

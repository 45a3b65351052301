using Orchest.Engine.Ports;

namespace Orchest.Storage.Azure.Blobs;

/// <summary>Service logs: <c>logs/&lt;run&gt;/services/&lt;name&gt;.log</c>, beside the run's step logs (and deleted with them).</summary>
public sealed partial class BlobArtifactStore
{
    public async Task WriteAsync(string runId, string service, IReadOnlyList<string> lines, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var text = lines.Count == 0 ? "" : string.Join('\n', lines) + "\n";
        await StorageErrors.GuardAsync($"keep the log of run {runId} service {service}", () =>
            _state.GetBlobClient(ServiceLogBlobName(runId, service)).UploadAsync(BinaryData.FromString(text), overwrite: true, cancellationToken));
    }

    /// <summary>The kept log of a run's service; null when it has none (yet: a log is kept when its service stops).</summary>
    public Task<Stream?> ReadServiceLogAsync(string runId, string service, CancellationToken cancellationToken = default) =>
        OpenAsync(_state.GetBlobClient(ServiceLogBlobName(runId, service)), 0, $"read the log of run {runId} service {service}", cancellationToken);

    internal static string ServiceLogBlobName(string runId, string service) => $"logs/{runId}/services/{service}.log";
}

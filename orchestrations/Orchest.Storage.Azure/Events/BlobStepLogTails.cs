using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;
using Orchest.Engine.Events;
using Orchest.Storage.Azure.Blobs;

namespace Orchest.Storage.Azure.Events;

/// <summary>The end of a step's log blob: its length, then one ranged read.</summary>
public sealed class BlobStepLogTails(OrchestStorageAccount account) : IStepLogTails
{
    public async Task<string?> ReadTailAsync(string runId, string stepUuid, int maxBytes, CancellationToken cancellationToken = default)
    {
        var blob = account.State.GetBlobClient(BlobArtifactStore.LogBlobName(runId, stepUuid));
        return await StorageErrors.GuardAsync($"read the end of the log of run {runId} step {stepUuid}", async () =>
        {
            try
            {
                var length = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength;
                if (length == 0)
                {
                    return "";
                }

                var offset = Math.Max(0, length - maxBytes);
                var content = await blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(offset) }, cancellationToken);
                var bytes = content.Value.Content.ToMemory().Span;

                // A cut through a multi-byte character would decode as U+FFFD: start at the next character.
                var start = 0;
                while (offset > 0 && start < bytes.Length && (bytes[start] & 0xC0) == 0x80)
                {
                    start++;
                }

                return Encoding.UTF8.GetString(bytes[start..]);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return null;
            }
        });
    }
}

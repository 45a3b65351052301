using Azure.Storage.Blobs.Models;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;

namespace Orchest.Storage.Azure.Blobs;

public sealed partial class BlobArtifactStore
{
    /// <summary>From this many sets on, one listing of the pipeline's outputs answers them instead of a listing per set.</summary>
    internal const int PipelineListingThreshold = 4;

    /// <summary>Blobs per page of that listing (the service's maximum); settable so tests reach a listing's later pages.</summary>
    internal int ListingPageSize { get; init; } = 5000;

    /// <remarks>
    /// A run's progress commits many steps at once (up to hundreds on a fan-out) and most steps of such runs output
    /// nothing: one flat listing of the pipeline's output prefix answers them all, where a listing per set cost
    /// each step a request. The listing reads at most one page per <see cref="PipelineListingThreshold"/> sets
    /// (a pipeline with many retained outputs must not cost more than the per-set listings would); sets it did
    /// not get past by then are listed one by one.
    /// </remarks>
    public async Task<IReadOnlySet<StepCommit>> WithOutputsAsync(
        string projectId, string pipelineUuid, IReadOnlyList<StepCommit> sets, CancellationToken cancellationToken = default)
    {
        var found = new HashSet<StepCommit>();
        IEnumerable<StepCommit> unanswered = sets;
        if (sets.Count >= PipelineListingThreshold)
        {
            var pipelinePrefix = PipelinePrefix(projectId, pipelineUuid);
            var bySetPrefix = sets.DistinctBy(SetKey).ToDictionary(SetKey, StringComparer.Ordinal);
            var (complete, last) = await ListPipelineAsync(
                pipelinePrefix, bySetPrefix, found, maxPages: Math.Max(1, sets.Count / PipelineListingThreshold), cancellationToken);

            // A set is answered when the listing ended, found it, or went past every name it can have.
            unanswered = complete
                ? []
                : sets.Where(s => !found.Contains(s) && (last is null || string.CompareOrdinal(pipelinePrefix + SetKey(s), last) > 0));
        }

        foreach (var set in unanswered.ToList())
        {
            if (await HasOutputsAsync(new StepKey(projectId, pipelineUuid, set.StepUuid), set.OutputSet, cancellationToken))
            {
                found.Add(set);
            }
        }

        return found;
    }

    private static string SetKey(StepCommit set) => $"{set.StepUuid}/{set.OutputSet}/";

    /// <summary>Lists the pipeline's output blobs into <paramref name="found"/>: whether it got to the end, else the last name it read.</summary>
    private Task<(bool Complete, string? Last)> ListPipelineAsync(
        string pipelinePrefix, Dictionary<string, StepCommit> bySetPrefix, HashSet<StepCommit> found, int maxPages, CancellationToken cancellationToken) =>
        StorageErrors.GuardAsync($"list the outputs under {pipelinePrefix}", async () =>
        {
            var pages = 0;
            string? last = null;
            await foreach (var page in _outputs.GetBlobsAsync(new GetBlobsOptions { Prefix = pipelinePrefix }, cancellationToken).AsPages(pageSizeHint: ListingPageSize))
            {
                foreach (var blob in page.Values)
                {
                    last = blob.Name;
                    var rest = blob.Name.AsSpan(pipelinePrefix.Length);
                    var step = rest.IndexOf('/');
                    var set = step < 0 ? -1 : rest[(step + 1)..].IndexOf('/');
                    if (set >= 0 && bySetPrefix.TryGetValue(rest[..(step + set + 2)].ToString(), out var commit))
                    {
                        found.Add(commit);
                    }
                }

                if (++pages >= maxPages && page.ContinuationToken is { Length: > 0 })
                {
                    return (false, last);
                }
            }

            return (true, last);
        });
}

using Azure;
using Azure.Data.Tables;

namespace Orchest.Functions.GitHooks;

/// <summary>Writes of a row that only go through if nobody changed it since it was read (the git hooks' claims and locks).</summary>
internal static class VersionedRows
{
    /// <summary>Replaces <paramref name="row"/> if it is still at <paramref name="version"/>: its new version, or null when someone changed or removed it first.</summary>
    public static async Task<ETag?> TryReplaceAsync(TableClient table, TableEntity row, ETag version, CancellationToken cancellationToken)
    {
        try
        {
            return VersionOf(await table.UpdateEntityAsync(row, version, TableUpdateMode.Replace, cancellationToken));
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }
    }

    /// <summary>The version a write left (every Table service answer to a write carries it).</summary>
    public static ETag VersionOf(Response written) =>
        written.Headers.ETag ?? throw new InvalidOperationException("The table service answered a write without an ETag.");
}

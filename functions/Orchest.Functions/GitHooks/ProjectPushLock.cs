using Azure;
using Azure.Data.Tables;
using Orchest.Functions.Projects;

namespace Orchest.Functions.GitHooks;

/// <summary>
/// Pushes of one project are handled one at a time across hosts, as <see cref="GitPushHandler"/> does within one:
/// two hosts applying the job files of two quick pushes at once would each create the job of a new file, and a
/// takeover of either push could then start its runs on the other job. One row per project in the project
/// registry's table names the holder until a lease runs out; the holder renews it while it handles the push, so
/// a host that died holding it delays the project's next push by at most <see cref="Lease"/>.
/// </summary>
internal sealed class ProjectPushLock(TableProjectRegistry registry, TimeProvider clock)
{
    /// <summary>How long a holder that stopped renewing (its host died) keeps the project's pushes waiting.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    private const string Partition = "gitpushlock";

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly TableClient _table = registry.Table;

    /// <summary>Waits until this caller holds the project's pushes; disposing the result lets the next one go.</summary>
    public async Task<IAsyncDisposable> AcquireAsync(string projectId, CancellationToken cancellationToken = default)
    {
        var holder = Guid.NewGuid().ToString("N");
        while (true)
        {
            if (await TryTakeAsync(projectId, holder, cancellationToken) is { } version)
            {
                return new Held(this, projectId, holder, version);
            }

            await Task.Delay(Poll, cancellationToken);
        }
    }

    /// <summary>Takes the row if nobody holds it or its lease ran out: its version, or null when someone holds it.</summary>
    private async Task<ETag?> TryTakeAsync(string projectId, string holder, CancellationToken cancellationToken)
    {
        try
        {
            return VersionedRows.VersionOf(await _table.AddEntityAsync(Row(projectId, holder), cancellationToken));
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var existing = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, projectId, cancellationToken: cancellationToken);
            if (!existing.HasValue || existing.Value!.GetDateTimeOffset("Until") > clock.GetUtcNow())
            {
                return null; // released just now (the next round adds it) or held
            }

            return await VersionedRows.TryReplaceAsync(_table, Row(projectId, holder), existing.Value.ETag, cancellationToken);
        }
    }

    private TableEntity Row(string projectId, string holder) => new(Partition, projectId)
    {
        ["Holder"] = holder,
        ["Until"] = clock.GetUtcNow() + Lease,
    };

    /// <summary>A held lock: renewed every third of the lease until disposed, then deleted (unless someone took it over).</summary>
    private sealed class Held : IAsyncDisposable
    {
        private readonly ProjectPushLock _lock;
        private readonly string _projectId;
        private readonly string _holder;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewing;
        private ETag _version;

        public Held(ProjectPushLock owner, string projectId, string holder, ETag version)
        {
            (_lock, _projectId, _holder, _version) = (owner, projectId, holder, version);
            _renewing = RenewAsync(_stop.Token);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _renewing;
            _stop.Dispose();
            try
            {
                await _lock._table.DeleteEntityAsync(Partition, _projectId, _version);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Taken over after the lease ran out: the new holder's now.
            }
        }

        private async Task RenewAsync(CancellationToken stop)
        {
            try
            {
                while (true)
                {
                    await Task.Delay(Lease / 3, stop);
                    if (await VersionedRows.TryReplaceAsync(_lock._table, _lock.Row(_projectId, _holder), _version, stop) is not { } renewed)
                    {
                        return; // taken over: nothing left to renew
                    }

                    _version = renewed;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Released.
            }
            catch (RequestFailedException)
            {
                // Storage unavailable: the lease may run out; the push is handled all the same.
            }
        }
    }
}

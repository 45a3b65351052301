namespace Orchest.Engine.Webhooks;

/// <summary>
/// This host's copy of the subscriptions, read again after <see cref="WebhookOptions.SubscriptionRefresh"/>:
/// matching every progress against storage would add a read per progress to every run. The price: a new
/// subscription gets events recorded at most that long after it was created (the host creating it sees it at once).
/// </summary>
public sealed class WebhookSubscriptionCache(IWebhookSubscriptions store, WebhookOptions options, TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<WebhookSubscription>? _cached;
    private DateTimeOffset _readAt;

    public async Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken cancellationToken = default)
    {
        if (Fresh() is { } fresh)
        {
            return fresh;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } again)
            {
                return again;
            }

            var read = await store.ListAsync(cancellationToken);
            _readAt = clock.GetUtcNow();
            Volatile.Write(ref _cached, read);
            return read;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A subscription by id; one missing from the copy is read from storage (it may be newer than the copy).</summary>
    public async Task<WebhookSubscription?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if ((await ListAsync(cancellationToken)).FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.Ordinal)) is { } cached)
        {
            return cached;
        }

        var stored = await store.GetAsync(id, cancellationToken);
        if (stored is not null)
        {
            Invalidate();
        }

        return stored;
    }

    /// <summary>Forgets the copy (after this host created or deleted a subscription).</summary>
    public void Invalidate() => Volatile.Write(ref _cached, null);

    public void Dispose() => _gate.Dispose();

    private IReadOnlyList<WebhookSubscription>? Fresh()
    {
        var cached = Volatile.Read(ref _cached);
        return cached is not null && clock.GetUtcNow() - _readAt < options.SubscriptionRefresh ? cached : null;
    }
}

using System.Globalization;
using Orchest.Durable;
using Orchest.Engine.Events;
using Orchest.Engine.Webhooks;
using Orchest.Functions.Hosting;

namespace Orchest.Functions.Webhooks;

/// <summary>
/// Takes due deliveries from the outbox and sends them, on every host that runs work. Its own lanes, not
/// the task hub's: a step activity's slot is never taken by a webhook and a webhook never waits behind
/// steps. Each subscription has its own lane of <see cref="WebhookOptions.MaxConcurrentPerSubscription"/>
/// requests per host, so a slow or hanging receiver holds only its own. Woken at once by events this host
/// records, otherwise every <see cref="WebhookOptions.PollInterval"/> for retries and deliveries left by dead hosts.
/// </summary>
internal sealed class WebhookSender(
    IWebhookOutbox outbox, WebhookSubscriptionCache subscriptions, WebhookClient client, WebhookOptions options, IConfiguration configuration,
    OutboxSignal signal, StepHostOptions host, TimeProvider clock, ILogger<WebhookSender> logger) : BackgroundService
{
    private readonly Dictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private readonly HashSet<Task> _sending = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollAsync(stoppingToken);
                await signal.WaitAsync(options.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                HostLogs.OutboxPollFailed(logger, ex);
                await Task.Delay(options.PollInterval, clock, CancellationToken.None);
            }
        }

        // Attempts in flight finish (each within its timeout) so their outcomes are recorded.
        Task[] sending;
        lock (_sending)
        {
            sending = [.. _sending];
        }

        await Task.WhenAll(sending);
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        foreach (var subscription in await subscriptions.ListAsync(cancellationToken))
        {
            var free = options.MaxConcurrentPerSubscription - InFlight(subscription.Id, 0);
            if (free <= 0)
            {
                continue;
            }

            var now = clock.GetUtcNow();
            foreach (var due in await outbox.ListDueAsync(subscription.Id, now, free, cancellationToken))
            {
                if (await outbox.ClaimAsync(due, host.HostId, now + options.Lease, cancellationToken) is not { } claimed)
                {
                    continue;
                }

                InFlight(subscription.Id, +1);
                var sending = DeliverAsync(subscription, claimed, due.Owner);
                lock (_sending)
                {
                    _sending.Add(sending);
                }

                _ = sending.ContinueWith(
                    done =>
                    {
                        lock (_sending)
                        {
                            _sending.Remove(done);
                        }
                    },
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    private async Task DeliverAsync(WebhookSubscription subscription, PendingDelivery claimed, string? previousOwner)
    {
        await Task.Yield();
        try
        {
            var orchestEvent = OrchestEventJson.Deserialize(claimed.EventJson);
            var attempts = claimed.Attempts.ToList();

            // Claims without an outcome: their host died (or stopped) mid-attempt; the receiver may have got them.
            for (var lost = attempts.Count + 1; lost < claimed.Claims; lost++)
            {
                attempts.Add(new WebhookAttempt(lost, claimed.AvailableAt - options.Lease, previousOwner ?? "unknown", null, null,
                    "no outcome recorded: the host sending it stopped before the receiver answered (retried; the receiver may have got it)"));
            }

            var attempt = await AttemptAsync(subscription, orchestEvent, claimed);
            attempts.Add(attempt);
            var finished = attempt.Succeeded || claimed.Claims >= options.MaxAttempts;
            DateTimeOffset? retryAt = finished ? null : clock.GetUtcNow() + options.RetryDelay(claimed.Claims);
            var record = new WebhookDelivery
            {
                Subscription = subscription.Id,
                EventId = orchestEvent.Id,
                EventType = orchestEvent.Type,
                EventTime = orchestEvent.Time,
                Run = orchestEvent.Run,
                Status = attempt.Succeeded ? WebhookDelivery.Delivered : finished ? WebhookDelivery.DeadLettered : WebhookDelivery.Pending,
                Created = claimed.Created,
                Attempts = attempts,
                NextAttemptAt = retryAt,
                Finished = finished ? clock.GetUtcNow() : null,
                LastError = attempts.LastOrDefault(a => !a.Succeeded)?.Error,
            };
            await outbox.SettleAsync(claimed, record, retryAt, CancellationToken.None);
            Report(subscription, orchestEvent, attempt, record);
        }
        catch (Exception ex)
        {
            // The claim's lease runs out and the delivery is taken again.
            HostLogs.DeliveryNotRecorded(logger, subscription.Id, claimed.Key, ex);
        }
        finally
        {
            InFlight(subscription.Id, -1);
        }
    }

    private async Task<WebhookAttempt> AttemptAsync(WebhookSubscription subscription, OrchestEvent orchestEvent, PendingDelivery claimed)
    {
        var secret = configuration[$"{WebhookOptions.SecretsSection}:{subscription.Secret}"];
        if (string.IsNullOrEmpty(secret))
        {
            return new WebhookAttempt(claimed.Claims, clock.GetUtcNow(), host.HostId, 0, null,
                $"secret \"{subscription.Secret}\" is not configured on host {host.HostId} (set {WebhookOptions.SecretsSection}:{subscription.Secret})");
        }

        var body = WebhookBodies.Build(subscription, orchestEvent, options.MaxBodyBytes);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [WebhookSignature.EventTypeHeader] = orchestEvent.Type,
            [WebhookSignature.EventIdHeader] = orchestEvent.Id,
            [WebhookSignature.DeliveryHeader] = subscription.Id + "/" + orchestEvent.Id,
            [WebhookSignature.AttemptHeader] = claimed.Claims.ToString(CultureInfo.InvariantCulture),
            [WebhookSignature.TimestampHeader] = timestamp.ToString(CultureInfo.InvariantCulture),
            [WebhookSignature.SignatureHeader] = WebhookSignature.Sign(secret, timestamp, body),
        };
        return await client.SendAsync(new Uri(subscription.Url), body, headers, claimed.Claims, host.HostId, CancellationToken.None);
    }

    private void Report(WebhookSubscription subscription, OrchestEvent orchestEvent, WebhookAttempt attempt, WebhookDelivery record)
    {
        var target = new Uri(subscription.Url).Authority;
        if (attempt.Succeeded)
        {
            HostLogs.Delivered(logger, subscription.Id, orchestEvent.Id, attempt.Number, target, attempt.StatusCode ?? 0, attempt.DurationMs ?? 0);
        }
        else if (record.Status == WebhookDelivery.DeadLettered)
        {
            HostLogs.DeliveryDeadLettered(logger, subscription.Id, orchestEvent.Id, attempt.Number, target, attempt.Error ?? "");
        }
        else
        {
            HostLogs.DeliveryFailed(logger, subscription.Id, orchestEvent.Id, attempt.Number, target, attempt.Error ?? "", record.NextAttemptAt);
        }
    }

    private int InFlight(string subscription, int change)
    {
        lock (_inFlight)
        {
            var count = _inFlight.GetValueOrDefault(subscription) + change;
            _inFlight[subscription] = count;
            return count;
        }
    }
}

namespace Orchest.Engine.Webhooks;

/// <summary>
/// Webhook delivery (section <c>Orchest:Webhooks</c>): retries, timeouts, what targets are allowed. The
/// defaults make 8 attempts over about an hour (30 s, 1, 2, 4, 8, 16, 30 min apart), each cut off after 10 s.
/// </summary>
public sealed class WebhookOptions
{
    public const string Section = "Orchest:Webhooks";

    /// <summary>Configuration section of the secrets subscriptions reference by name.</summary>
    public const string SecretsSection = "Orchest:WebhookSecrets";

    /// <summary>Attempts per delivery (including ones lost with their host) before it is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first failed attempt; each later wait doubles, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>One attempt's limit (connect, send, response headers); a hanging receiver is cut off after it.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Added to <see cref="Timeout"/> for a claim's lease: a host that died mid-delivery gives it up after both.</summary>
    public TimeSpan LeaseGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a host looks for due deliveries (retries, ones a dead host left); new events are sent at once by the host recording them.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests in flight per subscription per host: a slow receiver holds at most this many, others are not affected.</summary>
    public int MaxConcurrentPerSubscription { get; set; } = 4;

    /// <summary>Largest request body; a run-failed event's log tails are shortened to fit.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How long a host uses its list of subscriptions before reading it again (a new subscription gets events recorded after at most this).</summary>
    public TimeSpan SubscriptionRefresh { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Allow targets on loopback addresses (127.0.0.0/8, ::1): local receivers, tests.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Allow private networks (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Allow link-local addresses (169.254/16, fe80::/10: cloud metadata endpoints live there).</summary>
    public bool AllowLinkLocal { get; set; }

    /// <summary>Every problem with these options, each saying what to set; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxAttempts is < 1 or > 50)
        {
            problems.Add($"{Section}:MaxAttempts must be between 1 and 50.");
        }

        if (MaxConcurrentPerSubscription is < 1 or > 64)
        {
            problems.Add($"{Section}:MaxConcurrentPerSubscription must be between 1 and 64.");
        }

        if (MaxBodyBytes is < 4096 or > 4 * 1024 * 1024)
        {
            problems.Add($"{Section}:MaxBodyBytes must be between 4096 and 4194304.");
        }

        foreach (var (key, value, min) in new[]
                 {
                     (nameof(FirstRetryDelay), FirstRetryDelay, TimeSpan.FromMilliseconds(10)),
                     (nameof(MaxRetryDelay), MaxRetryDelay, TimeSpan.FromMilliseconds(10)),
                     (nameof(Timeout), Timeout, TimeSpan.FromMilliseconds(100)),
                     (nameof(LeaseGrace), LeaseGrace, TimeSpan.FromMilliseconds(100)),
                     (nameof(PollInterval), PollInterval, TimeSpan.FromMilliseconds(10)),
                     (nameof(SubscriptionRefresh), SubscriptionRefresh, TimeSpan.Zero),
                 })
        {
            if (value < min)
            {
                problems.Add($"{Section}:{key} must be at least {min:c}.");
            }
        }

        return problems;
    }

    /// <summary>How long a claim lasts: the attempt's timeout plus the grace.</summary>
    public TimeSpan Lease => Timeout + LeaseGrace;

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based): doubling from <see cref="FirstRetryDelay"/>, capped.</summary>
    public TimeSpan RetryDelay(int attempt)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var ticks = Math.Min(MaxRetryDelay.Ticks, FirstRetryDelay.Ticks * factor);
        return TimeSpan.FromTicks((long)ticks);
    }
}

namespace Orchest.Pipelines;

/// <summary>
/// How often a failed step is tried again (ours: settings.retry, or "retry" on a step).
/// <see cref="MaxAttempts"/> counts every execution, so 1 means no retry.
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan Backoff, TimeSpan MaxBackoff)
{
    public const int DefaultMaxAttempts = 1;
    public const double DefaultBackoffSeconds = 5;
    public const double DefaultMaxBackoffSeconds = 300;

    /// <summary>The default: one attempt, no retry (the backoff values are the defaults a retry block starts from).</summary>
    public static RetryPolicy None { get; } = new(
        DefaultMaxAttempts, TimeSpan.FromSeconds(DefaultBackoffSeconds), TimeSpan.FromSeconds(DefaultMaxBackoffSeconds));

    /// <summary>
    /// The wait before retry number <paramref name="attempt"/> (1 = the first retry, i.e. the second
    /// execution): <c>Backoff * 2^(attempt-1)</c>, capped at <see cref="MaxBackoff"/>.
    /// </summary>
    public TimeSpan DelayBefore(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);

        // Past 2^40 any realistic backoff is far above the cap; clamping keeps the double exact and finite.
        var factor = Math.Pow(2, Math.Min(attempt - 1, 40));
        var ticks = Backoff.Ticks * factor;
        return ticks >= MaxBackoff.Ticks ? MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }
}

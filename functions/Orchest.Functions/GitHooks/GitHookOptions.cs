using System.Globalization;

namespace Orchest.Functions.GitHooks;

/// <summary>How long git webhook deliveries are remembered, and how long an unanswered claim is left to its handler.</summary>
/// <param name="DeliveryRetention">A redelivery within it is answered as the first (<c>Orchest:GitHooks:DeliveryRetention</c>).</param>
/// <param name="TakeOverAfter">
/// A claim without an answer this long belongs to a handling that died or failed: a redelivery or the housekeeping
/// takes it over (<c>Orchest:GitHooks:TakeOverAfter</c>). Shorter than a push's slowest handling (a first fetch of a
/// large repository) means that handling runs twice, which adds nothing twice but costs a fetch.
/// </param>
internal sealed record GitHookOptions(TimeSpan DeliveryRetention, TimeSpan TakeOverAfter)
{
    public const string RetentionKey = "Orchest:GitHooks:DeliveryRetention";

    public const string TakeOverKey = "Orchest:GitHooks:TakeOverAfter";

    public static readonly GitHookOptions Default = new(TimeSpan.FromDays(14), TimeSpan.FromMinutes(2));

    /// <summary>The configured options; a value that is not a positive time span stops the host with its key named.</summary>
    public static GitHookOptions From(IConfiguration configuration)
    {
        var options = new GitHookOptions(
            Read(configuration, RetentionKey, Default.DeliveryRetention, "14.00:00:00 (14 days)"),
            Read(configuration, TakeOverKey, Default.TakeOverAfter, "00:02:00 (2 minutes)"));
        if (options.TakeOverAfter >= options.DeliveryRetention)
        {
            throw new InvalidOperationException(
                $"{TakeOverKey} ({options.TakeOverAfter}) must be shorter than {RetentionKey} ({options.DeliveryRetention}): a claim is forgotten before it could be taken over.");
        }

        return options;
    }

    private static TimeSpan Read(IConfiguration configuration, string key, TimeSpan fallback, string example)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) || value <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{key} must be a positive time span such as {example}, not \"{text}\".");
        }

        return value;
    }
}

namespace Orchest.Functions.Timers;

/// <summary>How long git webhook deliveries are remembered (a redelivery within it is answered as the first).</summary>
internal sealed record GitDeliveryRetention(TimeSpan Value)
{
    public const string Key = "Orchest:GitHooks:DeliveryRetention";

    public static readonly TimeSpan Default = TimeSpan.FromDays(14);

    /// <summary>The configured retention; a value that is not a positive time span stops the host with this key named.</summary>
    public static GitDeliveryRetention From(IConfiguration configuration)
    {
        var text = configuration[Key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return new GitDeliveryRetention(Default);
        }

        if (!TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) || value <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Key} must be a positive time span such as 14.00:00:00 (14 days), not \"{text}\".");
        }

        return new GitDeliveryRetention(value);
    }
}

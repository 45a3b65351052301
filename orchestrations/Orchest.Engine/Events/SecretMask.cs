namespace Orchest.Engine.Events;

/// <summary>
/// Hides a run's environment variable values in text that leaves the system (log tails in events): a
/// step that prints its token must not send it to a chat channel. Values shorter than
/// <see cref="MinLength"/> characters are left alone (masking "1" or "yes" would garble every line).
/// </summary>
public sealed class SecretMask
{
    public const int MinLength = 4;
    public const string Mask = "***";

    private readonly string[] _values;

    public SecretMask(IEnumerable<string> values) =>
        _values = values.Where(v => v.Length >= MinLength).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length).ToArray();

    public static SecretMask None { get; } = new([]);

    public string? Apply(string? text)
    {
        if (text is null || _values.Length == 0)
        {
            return text;
        }

        foreach (var value in _values)
        {
            text = text.Replace(value, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}

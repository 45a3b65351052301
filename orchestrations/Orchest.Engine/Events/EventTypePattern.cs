namespace Orchest.Engine.Events;

/// <summary>
/// An event type pattern of a subscription: a type name where <c>*</c> stands for any run of characters
/// (colons included), e.g. <c>*:pipeline-run:failed</c>, <c>project:cron-job:*</c>, <c>*</c>. Matching is
/// ordinal and case-insensitive. A pattern that matches no known type is a mistake, not a filter.
/// </summary>
public static class EventTypePattern
{
    public const int MaxLength = 200;

    public static bool Matches(string pattern, string type) => Matches(pattern.AsSpan(), type.AsSpan());

    /// <summary>Why <paramref name="pattern"/> is not usable, or null when it is.</summary>
    public static string? Problem(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return "an event type pattern is empty";
        }

        if (pattern.Length > MaxLength || !pattern.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '-' or '*' or '.'))
        {
            return $"event type pattern \"{Shorten(pattern)}\" may only have letters, digits, ':', '-', '.' and '*' (at most {MaxLength} characters)";
        }

        return OrchestEventTypes.All.Any(type => Matches(pattern, type))
            ? null
            : $"event type pattern \"{pattern}\" matches no event type (e.g. \"*:pipeline-run:failed\", \"project:cron-job:*\", \"*\"; GET /api/events/types lists them)";
    }

    private static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        // Greedy glob with one backtrack point: linear in practice for patterns of a few stars.
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] != '*' && char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}

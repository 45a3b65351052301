using System.Globalization;
using System.Text.Json.Nodes;
using Orchest.Pipelines.Json;

namespace Orchest.Pipelines.Reading;

/// <summary>
/// Reads a retry block (ours): {"max_attempts": 3, "backoff_seconds": 5, "max_backoff_seconds": 300}.
/// Absent fields come from <c>basis</c> (the defaults for settings.retry, the pipeline's policy for a step).
/// </summary>
internal static class RetryReader
{
    public const int MaxAttempts = 100;
    public const double MaxSeconds = 86_400;
    private static readonly string[] Known = ["max_attempts", "backoff_seconds", "max_backoff_seconds"];

    // field: "settings.retry" or "retry" (on a step), for messages.
    public static RetryPolicy Read(JsonNode? node, string field, RetryPolicy basis, ProblemScope problems)
    {
        if (node is not JsonObject retry)
        {
            problems.Add("invalid_retry", field, $"{field} must be an object such as {{\"max_attempts\": 3, \"backoff_seconds\": 5}}, got {ProblemText.Value(node)}.");
            return basis;
        }

        foreach (var (name, _) in retry)
        {
            if (!Known.Contains(name, StringComparer.Ordinal))
            {
                problems.Add("invalid_retry", $"{field}.{name}", $"{field} has the unknown field \"{name}\" (known: {string.Join(", ", Known)}).");
            }
        }

        var attempts = basis.MaxAttempts;
        if (retry.TryGetPropertyValue("max_attempts", out var attemptsNode)
            && !(JsonText.TryGetInt(attemptsNode, out attempts) && attempts is >= 1 and <= MaxAttempts))
        {
            problems.Add("invalid_retry", $"{field}.max_attempts", $"{field}.max_attempts must be an integer from 1 to {MaxAttempts} (1 means no retry), got {ProblemText.Value(attemptsNode)}.");
            attempts = basis.MaxAttempts;
        }

        var backoff = Seconds(retry, field, "backoff_seconds", basis.Backoff, problems);
        var maxBackoff = Seconds(retry, field, "max_backoff_seconds", basis.MaxBackoff, problems);
        return new RetryPolicy(attempts, backoff, maxBackoff);
    }

    private static TimeSpan Seconds(JsonObject retry, string field, string name, TimeSpan basis, ProblemScope problems)
    {
        if (!retry.TryGetPropertyValue(name, out var node))
        {
            return basis;
        }

        if (JsonText.TryGetNumber(node, out var seconds) && seconds >= 0 && seconds <= (decimal)MaxSeconds)
        {
            return TimeSpan.FromSeconds((double)seconds);
        }

        var limit = MaxSeconds.ToString(CultureInfo.InvariantCulture);
        problems.Add("invalid_retry", $"{field}.{name}", $"{field}.{name} must be a number of seconds from 0 to {limit}, got {ProblemText.Value(node)}.");
        return basis;
    }
}

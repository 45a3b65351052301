using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orchest.Pipelines.Json;

namespace Orchest.Pipelines.Reading;

/// <summary>Reads "settings", reporting each bad value and using its default instead.</summary>
internal static partial class SettingsReader
{
    public static PipelineSettings Read(JsonNode? node, bool present, ProblemScope problems)
    {
        if (!present)
        {
            return PipelineSettings.Default;
        }

        if (node is not JsonObject settings)
        {
            problems.Add("invalid_field_type", "settings", $"settings must be an object, got {ProblemText.Value(node)}.");
            return PipelineSettings.Default;
        }

        var parallelism = 0;
        if (settings.TryGetPropertyValue("max_steps_parallelism", out var parallelismNode)
            && !(JsonText.TryGetInt(parallelismNode, out parallelism) && parallelism >= 0))
        {
            problems.Add("invalid_setting", "settings.max_steps_parallelism", $"settings.max_steps_parallelism must be an integer >= 0 (0 means no limit), got {ProblemText.Value(parallelismNode)}.");
            parallelism = 0;
        }

        var failurePolicy = FailurePolicy.FailFast;
        if (settings.TryGetPropertyValue("failure_policy", out var policyNode))
        {
            var policy = JsonText.TryGetString(policyNode, out var text) ? text : null;
            failurePolicy = policy switch
            {
                "fail-fast" => FailurePolicy.FailFast,
                "continue" => FailurePolicy.Continue,
                _ => Invalid(problems, "settings.failure_policy", $"settings.failure_policy must be \"fail-fast\" or \"continue\", got {ProblemText.Value(policyNode)}.", FailurePolicy.FailFast),
            };
        }

        var autoEviction = false;
        if (settings.TryGetPropertyValue("auto_eviction", out var evictionNode) && !JsonText.TryGetBool(evictionNode, out autoEviction))
        {
            problems.Add("invalid_setting", "settings.auto_eviction", $"settings.auto_eviction must be true or false, got {ProblemText.Value(evictionNode)}.");
        }

        string? memorySize = null;
        if (settings.TryGetPropertyValue("data_passing_memory_size", out var sizeNode))
        {
            if (JsonText.TryGetString(sizeNode, out var size) && MemorySize().IsMatch(size))
            {
                memorySize = size;
            }
            else
            {
                problems.Add("invalid_setting", "settings.data_passing_memory_size", $"settings.data_passing_memory_size must be a size such as \"1GB\" (a number followed by KB, MB or GB), got {ProblemText.Value(sizeNode)}.");
            }
        }

        var retry = settings.TryGetPropertyValue("retry", out var retryNode)
            ? RetryReader.Read(retryNode, "settings.retry", RetryPolicy.None, problems)
            : RetryPolicy.None;

        return new PipelineSettings(parallelism, failurePolicy, retry, autoEviction, memorySize);
    }

    private static T Invalid<T>(ProblemScope problems, string field, string text, T fallback)
    {
        problems.Add("invalid_setting", field, text);
        return fallback;
    }

    // Orchest's check (webserver utils.py), including Python's "$" that also accepts one trailing "\n".
    [GeneratedRegex(@"^\d+(\.\d+)?\s*(KB|MB|GB)$")]
    private static partial Regex MemorySize();
}

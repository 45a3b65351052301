using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Orchest.Cli;

/// <summary>Parses <c>key=value</c> style options; values that are valid JSON become JSON, others strings.</summary>
internal static partial class ArgumentParsers
{
    public static JsonObject ParseParameters(IEnumerable<string> pairs, string option, CliProblems problems)
    {
        var result = new JsonObject();
        foreach (var pair in pairs)
        {
            if (Split(pair, '=') is not ({ } key, { } value) || key.Length == 0)
            {
                problems.Add($"{option} \"{pair}\" is not key=value.");
                continue;
            }

            result[key] = ParseValue(value);
        }

        return result;
    }

    /// <summary>
    /// <c>step:key=value</c> items, checked for shape only; which colon ends the step reference is
    /// decided against the pipeline (titles may contain colons), see <see cref="StepReferences"/>.
    /// </summary>
    public static List<string> ParseStepParameters(IEnumerable<string> items, CliProblems problems)
    {
        var valid = new List<string>();
        foreach (var item in items)
        {
            var colon = item.IndexOf(':', StringComparison.Ordinal);
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (colon <= 0 || equals < colon + 2)
            {
                problems.Add($"--step-param \"{item}\" is not <step>:key=value.");
                continue;
            }

            valid.Add(item);
        }

        return valid;
    }

    /// <summary>Parses a parameter value: JSON when it is valid JSON, else the text itself.</summary>
    public static JsonNode? ParseValue(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    /// <summary>Environment variables; names must match Orchest's rule <c>^[0-9a-zA-Z\-_]+$</c>.</summary>
    public static Dictionary<string, string> ParseEnvironment(IEnumerable<string> pairs, CliProblems problems)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            if (Split(pair, '=') is not ({ } name, { } value) || !EnvironmentName().IsMatch(name))
            {
                // Never echo the value: it may be a secret.
                problems.Add($"--env \"{pair.Split('=')[0]}=…\" is not NAME=VALUE with a name of letters, digits, '-' and '_'.");
                continue;
            }

            result[name] = value;
        }

        return result;
    }

    private static (string Key, string Value)? Split(string pair, char separator)
    {
        var at = pair.IndexOf(separator, StringComparison.Ordinal);
        return at < 0 ? null : (pair[..at], pair[(at + 1)..]);
    }

    [GeneratedRegex("^[0-9a-zA-Z\\-_]+$")]
    private static partial Regex EnvironmentName();
}

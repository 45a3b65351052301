using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orchest.Pipelines.Json;
using Orchest.Pipelines.Reading;

namespace Orchest.Pipelines.Migrations;

/// <summary>
/// Part of 1.0.0 to 1.1.0: older files allowed any environment variable name on services. Invalid
/// characters become "_" and a name that collides gets "_2", "_3"... appended (cumulatively, as
/// Orchest did: a second collision of "A_2" tries "A_2_3").
/// </summary>
internal static partial class ServiceEnvironmentVariables
{
    public static void Migrate(ServiceSet services)
    {
        foreach (var (key, service) in services.Entries)
        {
            MigrateVariables(services, key, service);
            MigrateInherited(services, key, service);
        }
    }

    private static void MigrateVariables(ServiceSet services, string key, JsonObject service)
    {
        if (!service.TryGetPropertyValue("env_variables", out var node))
        {
            return;
        }

        if (node is not JsonObject variables)
        {
            services.Report(key, "env_variables", $"env_variables must be an object of names to strings, got {ProblemText.Value(node)}.");
            return;
        }

        // Orchest rebuilt the whole object only when something was invalid, values included.
        if (variables.All(v => IsValidName(v.Key) && JsonText.TryGetString(v.Value, out _)))
        {
            return;
        }

        var rebuilt = new JsonObject();
        foreach (var (name, value) in variables)
        {
            rebuilt[Unique(MakeValid(name), rebuilt.ContainsKey)] = value?.DeepClone();
        }

        service["env_variables"] = rebuilt;
    }

    private static void MigrateInherited(ServiceSet services, string key, JsonObject service)
    {
        var node = service["env_variables_inherit"];
        if (node is not null && node is not JsonArray)
        {
            services.Report(key, "env_variables_inherit", $"env_variables_inherit must be an array of names, got {ProblemText.Value(node)}.");
            return;
        }

        if (node is null && service.ContainsKey("env_variables_inherit"))
        {
            services.Report(key, "env_variables_inherit", "env_variables_inherit must be an array of names, got null.");
            return;
        }

        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in (JsonArray?)node ?? [])
        {
            if (!JsonText.TryGetString(item, out var name))
            {
                services.Report(key, "env_variables_inherit", $"env_variables_inherit must contain only names, got {ProblemText.Value(item)}.");
                return;
            }

            var valid = Unique(MakeValid(name), seen.Contains);
            seen.Add(valid);
            names.Add(valid);
        }

        // Orchest collected these in a Python set, so their order was arbitrary; first-seen order is one such order.
        service["env_variables_inherit"] = new JsonArray([.. names.Select(n => (JsonNode)JsonValue.Create(n))]);
    }

    private static string Unique(string name, Func<string, bool> taken)
    {
        var candidate = name;
        for (var i = 2; taken(candidate); i++)
        {
            candidate = $"{candidate}_{i}";
        }

        return candidate;
    }

    public static bool IsValidName(string name) => ValidName().IsMatch(name);

    /// <summary>Every character (code point) outside [0-9a-zA-Z-_] becomes "_".</summary>
    public static string MakeValid(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            builder.Append(rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '-' or '_') ? (char)rune.Value : '_');
        }

        return builder.ToString();
    }

    // "$" rather than "\z" on purpose: like Python's re.match, it also accepts a name ending in one "\n".
    [GeneratedRegex(@"^[0-9a-zA-Z\-_]+$")]
    private static partial Regex ValidName();
}

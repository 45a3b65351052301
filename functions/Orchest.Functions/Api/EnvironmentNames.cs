using System.Text.RegularExpressions;

namespace Orchest.Functions.Api;

/// <summary>Environment variable names a request may set (as Orchest allowed them).</summary>
internal static partial class EnvironmentNames
{
    public static void Check(IReadOnlyDictionary<string, string>? environment, ICollection<string> errors, string field = "env")
    {
        foreach (var name in (environment ?? new Dictionary<string, string>()).Keys.Where(n => !Valid().IsMatch(n)))
        {
            errors.Add($"\"{field}\" name \"{name}\" must be letters, digits, '-' and '_'.");
        }
    }

    [GeneratedRegex("^[0-9a-zA-Z\\-_]+$")]
    private static partial Regex Valid();
}

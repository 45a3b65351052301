using System.Text.RegularExpressions;

namespace Orchest.Git;

/// <summary>Ids that become folder names under the cache (project ids, run ids, shas) must be plain names.</summary>
internal static partial class FolderNames
{
    public static bool IsSafe(string value) => SafeName().IsMatch(value);

    public static string Require(string value, string what) =>
        IsSafe(value)
            ? value
            : throw new ArgumentException($"The {what} \"{value}\" is not usable as a folder name (letters, digits, '.', '_', '-'; not starting with '.'; at most 128).", what);

    public static bool IsFullSha(string value) => value.Length == 40 && value.All(char.IsAsciiHexDigit);

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex SafeName();
}

using System.Text;
using System.Text.RegularExpressions;

namespace Orchest.Functions.GitHooks;

/// <summary>
/// Path and branch globs of job files: <c>*</c> any characters but <c>/</c>, <c>**</c> any characters (a <c>**/</c>
/// also matches no folder), <c>?</c> one character but <c>/</c>. Matched against the whole path, case-sensitively.
/// </summary>
internal static class PathGlob
{
    public static bool Matches(string glob, string path) => ToRegex(glob).IsMatch(path);

    public static bool MatchesAny(IEnumerable<string> globs, string path) => globs.Any(g => Matches(g, path));

    private static Regex ToRegex(string glob)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                var slash = i + 2 < glob.Length && glob[i + 2] == '/';
                pattern.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                pattern.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}

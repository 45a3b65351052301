using System.Text;

namespace Orchest.Runners.Docker.Services;

/// <summary>Splits a service's <c>args</c> like Python's <c>shlex.split</c> (POSIX mode), as Orchest did.</summary>
public static class ArgumentSplitter
{
    /// <summary>The words of <paramref name="text"/>; quotes group, backslash escapes outside single quotes.</summary>
    /// <exception cref="FormatException">A quote is not closed.</exception>
    public static IReadOnlyList<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\'')
            {
                if (c == '\'') { quote = null; } else { word.Append(c); }
            }
            else if (quote == '"')
            {
                if (c == '"') { quote = null; }
                else if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`') { word.Append(text[++i]); }
                else { word.Append(c); }
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) { words.Add(word.ToString()); word.Clear(); inWord = false; }
            }
            else
            {
                inWord = true;
                if (c is '\'' or '"') { quote = c; }
                else if (c == '\\' && i + 1 < text.Length) { word.Append(text[++i]); }
                else { word.Append(c); }
            }
        }

        if (quote is not null)
        {
            throw new FormatException($"no closing quotation ({quote}) in \"{text}\"");
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}

using System.CommandLine;
using System.Text;

namespace Orchest.Cli;

/// <summary>
/// Writes <c>--help</c>: usage, description, arguments, options and subcommands, then the command's
/// own sections. Ours rather than System.CommandLine's, which cannot be extended and describes the
/// pass-through configuration of <c>serve</c> as "arguments passed to the application".
/// </summary>
internal static class HelpWriter
{
    private const string Indent = "  ";
    private const int MaxFirstColumn = 34;

    public static void Write(Command command, IReadOnlyList<HelpSection> sections, TextWriter output, int width)
    {
        output.WriteLine($"Usage: {Usage(command)}");
        output.WriteLine();
        foreach (var line in Wrap(command.Description ?? "", width))
        {
            output.WriteLine(line);
        }

        var blocks = new List<(string Title, IReadOnlyList<string> Lines)>
        {
            ("Arguments", command.Arguments.Where(a => !a.Hidden).Select(a => $"<{a.Name}>\t{Describe(a.Description, a.HasDefaultValue ? a.GetDefaultValue() : null)}").ToList()),
            ("Options", Options(command).ToList()),
            ("Commands", command.Subcommands.Where(c => !c.Hidden).Select(c => $"{c.Name}\t{c.Description}").ToList()),
        };
        blocks.AddRange(sections.Select(s => (s.Title, s.Lines)));
        foreach (var (title, lines) in blocks.Where(b => b.Lines.Count > 0))
        {
            output.WriteLine();
            output.WriteLine($"{title}:");
            WriteLines(lines, output, width);
        }
    }

    /// <summary>The width to wrap at: the terminal's, else a width that reads well in a pager or a file.</summary>
    public static int Width(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && Console.WindowWidth > 0
            ? Math.Clamp(Console.WindowWidth, 60, 140)
            : 100;

    private static string Usage(Command command)
    {
        var path = string.Join(' ', Path(command));
        if (command.Subcommands.Count > 0)
        {
            return $"{path} <command> [options]";
        }

        var builder = new StringBuilder(path);
        foreach (var argument in command.Arguments.Where(a => !a.Hidden))
        {
            builder.Append(argument.HasDefaultValue ? $" [<{argument.Name}>]" : $" <{argument.Name}>");
        }

        builder.Append(" [options]");
        if (!command.TreatUnmatchedTokensAsErrors)
        {
            builder.Append(" [--Section:Key=value ...]");
        }

        return builder.ToString();
    }

    /// <summary>"orchest run": the root is always called orchest (under a test host its name would be the host's).</summary>
    private static IEnumerable<string> Path(Command command)
    {
        var names = new Stack<string>();
        for (Symbol? symbol = command; symbol is Command c; symbol = c.Parents.FirstOrDefault())
        {
            names.Push(c is RootCommand ? "orchest" : c.Name);
        }

        return names;
    }

    private static IEnumerable<string> Options(Command command)
    {
        foreach (var option in command.Options.Where(o => !o.Hidden && o is not System.CommandLine.Help.HelpOption))
        {
            var names = string.Join(", ", option.Aliases.Append(option.Name).Distinct().OrderBy(n => n.Length));
            var value = option.Arity.MaximumNumberOfValues == 0 || option.ValueType == typeof(bool) ? "" : $" <{option.HelpName ?? option.Name.TrimStart('-')}>";
            yield return $"{names}{value}\t{Describe(option.Description, option.HasDefaultValue ? option.GetDefaultValue() : null)}";
        }

        yield return "-h, --help\tShow this help.";
    }

    private static string Describe(string? description, object? defaultValue) =>
        defaultValue is null or false or "" or Array { Length: 0 } ? description ?? "" : $"{description} [default: {defaultValue}]";

    private static void WriteLines(IReadOnlyList<string> lines, TextWriter output, int width)
    {
        var firsts = lines.Where(l => l.Contains('\t', StringComparison.Ordinal)).Select(l => l[..l.IndexOf('\t', StringComparison.Ordinal)].Length);
        var column = Math.Min(MaxFirstColumn, firsts.DefaultIfEmpty(0).Max()) + 2;
        foreach (var line in lines)
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab < 0)
            {
                // Short lines keep their spacing (aligned examples); long ones are paragraphs.
                foreach (var part in line.Length <= width - Indent.Length ? [line] : Wrap(line, width - Indent.Length))
                {
                    output.WriteLine(part.Length == 0 ? "" : Indent + part);
                }

                continue;
            }

            var first = line[..tab];
            var second = Wrap(line[(tab + 1)..], Math.Max(30, width - Indent.Length - column));
            // A first column too wide for the alignment gets its own line.
            var start = first.Length + 2 > column ? 1 : 0;
            if (start == 1)
            {
                output.WriteLine(Indent + first);
            }

            for (var i = 0; i < second.Count; i++)
            {
                var head = i == 0 && start == 0 ? first.PadRight(column) : new string(' ', column);
                output.WriteLine((Indent + head + second[i]).TrimEnd());
            }
        }
    }

    private static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var current = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current.Length > 0 && current.Length + 1 + word.Length > width)
            {
                lines.Add(current.ToString());
                current.Clear();
            }

            current.Append(current.Length > 0 ? " " : "").Append(word);
        }

        lines.Add(current.ToString());
        return lines;
    }
}

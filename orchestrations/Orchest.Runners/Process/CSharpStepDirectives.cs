using System.Text;

namespace Orchest.Runners.Process;

/// <summary>
/// Adapts a step file's <c>#:project</c> directives to its cached copy: a relative path is relative to
/// the step's folder, which the copy is not in, so it becomes absolute. Lines stay where they are, so
/// compiler messages keep the user's line numbers.
/// </summary>
internal static class CSharpStepDirectives
{
    private const string Project = "#:project ";

    public static byte[] ForCopy(byte[] content, string stepDirectory)
    {
        var text = Encoding.UTF8.GetString(content);
        if (!text.Contains(Project, StringComparison.Ordinal))
        {
            return content;
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith(Project, StringComparison.Ordinal))
            {
                var target = lines[i][Project.Length..].Trim();
                if (!Path.IsPathRooted(target))
                {
                    lines[i] = Project + Path.GetFullPath(Path.Combine(stepDirectory, target));
                }
            }
        }

        return Encoding.UTF8.GetBytes(string.Join('\n', lines));
    }
}

using System.Text;

namespace Orchest.Sdk;

/// <summary>
/// Several incoming steps output values under the same name, so the name cannot pick one. The message
/// is Orchest's: one line per name with the sorted titles of the steps that output it, e.g.
/// <c>Name collisions between input data coming from different steps: \nx: ['A', 'B']</c>.
/// </summary>
public sealed class InputNameCollisionException : OrchestSdkException
{
    /// <summary>Creates the error.</summary>
    /// <param name="collisions">Each colliding name with the sorted titles of the steps that output it, in first-seen order.</param>
    public InputNameCollisionException(IReadOnlyDictionary<string, IReadOnlyList<string>> collisions)
        : base(BuildMessage(collisions))
    {
        Collisions = collisions;
    }

    /// <summary>Each colliding name with the titles (sorted ordinally) of the incoming steps that output it.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Collisions { get; }

    private static string BuildMessage(IReadOnlyDictionary<string, IReadOnlyList<string>> collisions)
    {
        var message = new StringBuilder("Name collisions between input data coming from different steps: ");
        foreach (var (name, titles) in collisions)
        {
            message.Append('\n').Append(name).Append(": [")
                .AppendJoin(", ", titles.Select(PythonRepr))
                .Append(']');
        }

        return message.ToString();
    }

    // Orchest formatted the titles with Python's list repr; the same text keeps messages identical
    // across the two SDKs.
    private static string PythonRepr(string value)
    {
        var quote = value.Contains('\'', StringComparison.Ordinal) && !value.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var repr = new StringBuilder().Append(quote);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => repr.Append(@"\\"),
                '\n' => repr.Append(@"\n"),
                '\r' => repr.Append(@"\r"),
                '\t' => repr.Append(@"\t"),
                _ when c == quote => repr.Append('\\').Append(c),
                _ => repr.Append(c),
            };
        }

        return repr.Append(quote).ToString();
    }
}

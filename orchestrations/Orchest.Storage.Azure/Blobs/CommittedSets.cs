namespace Orchest.Storage.Azure.Blobs;

/// <summary>
/// A step's <c>COMMITTED</c> blob: its committed output sets, oldest first, one per line, and the sets runs still
/// read from an earlier run (a selection's step whose parent is not in its run reads the parent's latest set), one
/// line <c>pin &lt;set&gt; &lt;run&gt;</c> each. A set is pruned only once its own run and every run pinning it ended.
/// Set names never hold a space, so a pin line cannot be read as a set (older hosts skip it as a set never found).
/// </summary>
internal sealed record CommittedSets(List<string> Sets, List<(string Set, string Reader)> Pins)
{
    private const string PinPrefix = "pin ";

    public static CommittedSets Parse(string? text)
    {
        var sets = new List<string>();
        var pins = new List<(string, string)>();
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith(PinPrefix, StringComparison.Ordinal))
            {
                sets.Add(line);
            }
            else if (line[PinPrefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var set, var reader])
            {
                pins.Add((set, reader));
            }
        }

        return new CommittedSets(sets, pins);
    }

    public bool IsPinned(string set, string reader) => Pins.Contains((set, reader));

    public string Format() =>
        string.Concat(Sets.Select(s => s + "\n").Concat(Pins.Select(p => $"{PinPrefix}{p.Set} {p.Reader}\n")));
}

using CsCheck;

namespace Orchest.Pipelines.Tests.Support;

/// <summary>
/// A random DAG over steps "s0".."s{n-1}" where edges only go from lower to higher number, written to the
/// file in a random order with each step's parents in a random order, plus a random choice of steps.
/// </summary>
public sealed class RandomDag
{
    private RandomDag(int count, bool[] edges, int[] fileKeys, int[] parentKeys, bool[] chosen)
    {
        Count = count;
        FileOrder = [.. Enumerable.Range(0, count).OrderBy(i => fileKeys[i]).ThenBy(i => i)];
        Parents = [.. Enumerable.Range(0, count).Select(i =>
            (IReadOnlyList<int>)[.. Enumerable.Range(0, i).Where(j => edges[(i * count) + j]).OrderBy(j => parentKeys[(i * count) + j]).ThenBy(j => j)])];
        Chosen = [.. Enumerable.Range(0, count).Where(i => chosen[i]).Select(Name)];
    }

    public static Gen<RandomDag> Gen { get; } = CsCheck.Gen.Int[1, 12].SelectMany(n => CsCheck.Gen.Select(
        CsCheck.Gen.Bool.Array[n * n],
        CsCheck.Gen.Int.Array[n],
        CsCheck.Gen.Int.Array[n * n],
        CsCheck.Gen.Bool.Array[n],
        (edges, fileKeys, parentKeys, chosen) => new RandomDag(n, edges, fileKeys, parentKeys, chosen)));

    public int Count { get; }

    /// <summary>Step numbers in the order they appear in the file.</summary>
    public IReadOnlyList<int> FileOrder { get; }

    /// <summary>Parents[i]: the parents of step i, in incoming_connections order (all lower numbers).</summary>
    public IReadOnlyList<IReadOnlyList<int>> Parents { get; private set; }

    public IReadOnlyList<string> Chosen { get; }

    public static string Name(int step) => $"s{step}";

    /// <summary>A copy of this graph's parent lists with extra edges appended (used to plant cycles).</summary>
    public TestPipeline ToPipeline(IEnumerable<(int Parent, int Child)>? extraEdges = null)
    {
        var parents = Parents.Select(p => p.ToList()).ToList();
        foreach (var (parent, child) in extraEdges ?? [])
        {
            if (!parents[child].Contains(parent))
            {
                parents[child].Add(parent);
            }
        }

        var builder = new TestPipeline();
        foreach (var step in FileOrder)
        {
            builder.Step(Name(step), [.. parents[step].Select(Name)]);
        }

        return builder;
    }

    /// <summary>Strict ancestors of step i by a reachability closure (independent of the code under test).</summary>
    public bool IsAncestor(int ancestor, int step)
    {
        var reach = new bool[Count];
        var pending = new Stack<int>(Parents[step]);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (!reach[next])
            {
                reach[next] = true;
                foreach (var parent in Parents[next])
                {
                    pending.Push(parent);
                }
            }
        }

        return reach[ancestor];
    }

    public override string ToString() =>
        string.Join("; ", FileOrder.Select(i => $"{Name(i)}<-[{string.Join(",", Parents[i].Select(Name))}]")) + $" chosen [{string.Join(",", Chosen)}]";
}

namespace Orchest.Pipelines.Validation;

/// <summary>
/// Finds the cycles of a step graph: one per strongly connected group of steps (Tarjan's algorithm,
/// without recursion so that long chains cannot overflow the stack), each named by a shortest cycle
/// through the group's first step in file order. Listing every elementary cycle could be exponential.
/// </summary>
internal static class CycleFinder
{
    /// <param name="children">children[i]: indexes of the steps that list step i as a parent (no self edges).</param>
    /// <returns>Each cycle as step indexes in edge order (parent to child), first step not repeated; ordered by first step.</returns>
    public static IReadOnlyList<IReadOnlyList<int>> Find(IReadOnlyList<IReadOnlyList<int>> children)
    {
        var cycles = new List<IReadOnlyList<int>>();
        foreach (var group in StronglyConnected(children).Where(g => g.Count > 1).OrderBy(g => g.Min()))
        {
            cycles.Add(ShortestCycle(children, group));
        }

        return cycles;
    }

    private static List<List<int>> StronglyConnected(IReadOnlyList<IReadOnlyList<int>> children)
    {
        var count = children.Count;
        var index = new int[count];
        var low = new int[count];
        var onStack = new bool[count];
        Array.Fill(index, -1);
        var stack = new Stack<int>();
        var groups = new List<List<int>>();
        var next = 0;

        for (var root = 0; root < count; root++)
        {
            if (index[root] >= 0)
            {
                continue;
            }

            var work = new Stack<(int Node, int Child)>();
            Visit(root);
            work.Push((root, 0));
            while (work.Count > 0)
            {
                var (node, child) = work.Pop();
                if (child < children[node].Count)
                {
                    work.Push((node, child + 1));
                    var target = children[node][child];
                    if (index[target] < 0)
                    {
                        Visit(target);
                        work.Push((target, 0));
                    }
                    else if (onStack[target])
                    {
                        low[node] = Math.Min(low[node], index[target]);
                    }

                    continue;
                }

                if (low[node] == index[node])
                {
                    var group = new List<int>();
                    int member;
                    do
                    {
                        member = stack.Pop();
                        onStack[member] = false;
                        group.Add(member);
                    }
                    while (member != node);
                    groups.Add(group);
                }

                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }
            }
        }

        return groups;

        void Visit(int node)
        {
            index[node] = low[node] = next++;
            stack.Push(node);
            onStack[node] = true;
        }
    }

    /// <summary>Breadth-first from the group's first step back to itself, staying inside the group.</summary>
    private static List<int> ShortestCycle(IReadOnlyList<IReadOnlyList<int>> children, List<int> group)
    {
        var members = group.ToHashSet();
        var start = group.Min();
        var previous = new Dictionary<int, int> { [start] = -1 };
        var queue = new Queue<int>([start]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var child in children[node])
            {
                if (child == start)
                {
                    var path = new List<int>();
                    for (var at = node; at != -1; at = previous[at])
                    {
                        path.Add(at);
                    }

                    path.Reverse();
                    return path;
                }

                if (members.Contains(child) && previous.TryAdd(child, node))
                {
                    queue.Enqueue(child);
                }
            }
        }

        // Unreachable: every member of a strongly connected group reaches every other.
        throw new InvalidOperationException("A strongly connected group without a cycle.");
    }
}

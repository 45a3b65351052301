using System.Globalization;
using System.Text.Json.Nodes;
using Orchest.Pipelines;

namespace Orchest.Functions.Ui.Views;

/// <summary>
/// Where a pipeline's steps and connections are drawn: each step at its <c>meta_data.position</c> from the
/// .orchest file (where people placed it in Orchest), or, for files without positions, in columns by
/// depth. Pure: the SVG component and the tests read it.
/// </summary>
public sealed class GraphLayout
{
    public const int NodeWidth = 180;
    public const int NodeHeight = 64;
    private const int Margin = 16;
    private const int ColumnGap = 250;
    private const int RowGap = 100;

    private GraphLayout(IReadOnlyList<GraphNode> nodes, IReadOnlyList<GraphEdge> edges, string viewBox, int width, int height)
    {
        Nodes = nodes;
        Edges = edges;
        ViewBox = viewBox;
        Width = width;
        Height = height;
    }

    public IReadOnlyList<GraphNode> Nodes { get; }

    public IReadOnlyList<GraphEdge> Edges { get; }

    /// <summary>The SVG viewBox around every node.</summary>
    public string ViewBox { get; }

    /// <summary>Natural size in CSS pixels (the SVG scales down to fit narrower screens).</summary>
    public int Width { get; }

    public int Height { get; }

    /// <summary>The pipeline as its file places it.</summary>
    public static GraphLayout Of(PipelineDefinition pipeline)
    {
        var document = pipeline.ToJson()["steps"] as JsonObject;
        return Of(pipeline.Steps.Select(s => new GraphStep(s.Uuid, s.Title, s.FilePath, s.IncomingConnections, Position(document?[s.Uuid]))).ToList());
    }

    /// <summary>Steps placed at their positions when every step has one and no two overlap, else in columns by depth.</summary>
    public static GraphLayout Of(IReadOnlyList<GraphStep> steps)
    {
        var byUuid = steps.DistinctBy(s => s.Uuid).ToDictionary(s => s.Uuid, StringComparer.Ordinal);
        var depths = Depths(byUuid);
        var rows = new Dictionary<int, int>();
        var hasPositions = steps.All(s => s.Position is not null) && !Overlap(steps.Select(s => s.Position!.Value).ToList());
        var nodes = new Dictionary<string, GraphNode>(StringComparer.Ordinal);
        foreach (var step in byUuid.Values)
        {
            var at = step.Position ?? (0, 0);
            if (!hasPositions)
            {
                var depth = depths[step.Uuid];
                var row = rows[depth] = rows.GetValueOrDefault(depth, -1) + 1;
                at = (depth * ColumnGap, row * RowGap);
            }

            nodes[step.Uuid] = new GraphNode(step.Uuid, step.Title, step.FilePath, at.X, at.Y);
        }

        var edges = new List<GraphEdge>();
        foreach (var step in byUuid.Values)
        {
            foreach (var parent in step.Parents.Distinct(StringComparer.Ordinal).Where(nodes.ContainsKey))
            {
                edges.Add(new GraphEdge(parent, step.Uuid, EdgePath(nodes[parent], nodes[step.Uuid])));
            }
        }

        if (nodes.Count == 0)
        {
            return new GraphLayout([], edges, "0 0 200 80", 200, 80);
        }

        var all = nodes.Values.ToList();
        var minX = all.Min(n => n.X) - Margin;
        var minY = all.Min(n => n.Y) - Margin;
        var width = (int)Math.Ceiling(all.Max(n => n.X) + NodeWidth + Margin - minX);
        var height = (int)Math.Ceiling(all.Max(n => n.Y) + NodeHeight + Margin - minY);
        return new GraphLayout(all, edges, FormattableString.Invariant($"{minX:0.#} {minY:0.#} {width} {height}"), width, height);
    }

    /// <summary>
    /// Whether two boxes at these positions would overlap: files written by tools rather than Orchest's
    /// editor often put every step at (0, 0), and columns read better than a pile.
    /// </summary>
    private static bool Overlap(List<(double X, double Y)> positions)
    {
        positions.Sort((a, b) => a.X.CompareTo(b.X));
        for (var i = 0; i < positions.Count; i++)
        {
            for (var j = i + 1; j < positions.Count && positions[j].X - positions[i].X < NodeWidth; j++)
            {
                if (Math.Abs(positions[j].Y - positions[i].Y) < NodeHeight)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>A curve from the parent's right edge to the child's left edge (Orchest draws them so).</summary>
    private static string EdgePath(GraphNode from, GraphNode to)
    {
        var (x1, y1) = (from.X + NodeWidth, from.Y + (NodeHeight / 2.0));
        var (x2, y2) = (to.X - 6, to.Y + (NodeHeight / 2.0));
        var bend = Math.Max(24, Math.Abs(x2 - x1) / 2);
        return FormattableString.Invariant($"M{x1:0.#},{y1:0.#} C{x1 + bend:0.#},{y1:0.#} {x2 - bend:0.#},{y2:0.#} {x2:0.#},{y2:0.#}");
    }

    private static (double X, double Y)? Position(JsonNode? step) =>
        step?["meta_data"]?["position"] is JsonArray { Count: 2 } position
        && Number(position[0]) is { } x && Number(position[1]) is { } y
            ? (x, y)
            : null;

    private static double? Number(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<double>(out var number) && double.IsFinite(number) ? number
        : node is JsonValue text && text.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : null;

    /// <summary>Longest path from a root, for the fallback columns (a cycle, which validation reports, stops the walk).</summary>
    private static Dictionary<string, int> Depths(Dictionary<string, GraphStep> steps)
    {
        var depths = new Dictionary<string, int>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);

        int Depth(GraphStep step)
        {
            if (depths.TryGetValue(step.Uuid, out var known))
            {
                return known;
            }

            if (!visiting.Add(step.Uuid))
            {
                return 0;
            }

            var depth = step.Parents.Where(steps.ContainsKey).Select(p => Depth(steps[p]) + 1).DefaultIfEmpty(0).Max();
            visiting.Remove(step.Uuid);
            return depths[step.Uuid] = depth;
        }

        foreach (var step in steps.Values)
        {
            Depth(step);
        }

        return depths;
    }
}

using Orchest.Functions.Ui.Views;

namespace Orchest.Functions.Ui.Tests;

/// <summary>Where the pipeline graph puts steps and connections.</summary>
public sealed class GraphLayoutTests
{
    [Fact]
    public void Of_StepsWithPositions_DrawsThemThereWithAViewBoxAroundAll()
    {
        var layout = GraphLayout.Of([Step("a", [], (0, 100)), Step("b", ["a"], (300, 0)), Step("c", ["a"], (300, 200))]);

        Assert.Equal([(0d, 100d), (300d, 0d), (300d, 200d)], layout.Nodes.Select(n => (n.X, n.Y)));
        Assert.Equal($"-16 -16 {300 + GraphLayout.NodeWidth + 32} {200 + GraphLayout.NodeHeight + 32}", layout.ViewBox);
        Assert.Equal([("a", "b"), ("a", "c")], layout.Edges.Select(e => (e.From, e.To)));
        Assert.All(layout.Edges, e => Assert.StartsWith($"M{GraphLayout.NodeWidth},132 C", e.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void Of_OverlappingOrMissingPositions_PlacesStepsInColumnsByDepth()
    {
        GraphStep[] steps = [Step("a", [], (0, 0)), Step("b", ["a"], (0, 0)), Step("c", ["a", "b"], (0, 0)), Step("d", [], null)];

        var layout = GraphLayout.Of(steps);

        Assert.Equal([("a", 0d, 0d), ("b", 250d, 0d), ("c", 500d, 0d), ("d", 0d, 100d)], layout.Nodes.Select(n => (n.Uuid, n.X, n.Y)));
    }

    [Fact]
    public void Of_UnknownParentAndCycle_DrawsWhatExistsWithoutLooping()
    {
        var layout = GraphLayout.Of([Step("a", ["b", "ghost"], null), Step("b", ["a"], null)]);

        Assert.Equal(2, layout.Nodes.Count);
        Assert.Equal([("b", "a"), ("a", "b")], layout.Edges.Select(e => (e.From, e.To)));
    }

    [Fact]
    public void Of_NoSteps_IsAnEmptyDrawing()
    {
        var layout = GraphLayout.Of([]);

        Assert.Empty(layout.Nodes);
        Assert.Empty(layout.Edges);
    }

    private static GraphStep Step(string uuid, string[] parents, (double, double)? position) => new(uuid, uuid.ToUpperInvariant(), uuid + ".py", parents, position);
}

using Orchest.Pipelines.Tests.Support;

namespace Orchest.Pipelines.Tests;

public sealed class RunGraphBuilderTests
{
    // a -> b -> c
    private static readonly PipelineDefinition Chain = new TestPipeline().Step("a").Step("b", "a").Step("c", "b").Parse();

    // a -> b, a -> c, b -> d, c -> d; d lists c before b.
    private static readonly PipelineDefinition Diamond = new TestPipeline().Step("a").Step("b", "a").Step("c", "a").Step("d", ["c", "b"]).Parse();

    private static RunGraph Build(PipelineDefinition pipeline, RunType runType, params string[] refs)
    {
        var result = RunGraphBuilder.Build(pipeline, runType, refs);
        Assert.Empty(result.Problems);
        return result.Graph!;
    }

    private static PipelineProblem Problem(PipelineDefinition pipeline, RunType runType, params string[] refs)
    {
        var result = RunGraphBuilder.Build(pipeline, runType, refs);
        Assert.Null(result.Graph);
        return Assert.Single(result.Problems);
    }

    [Fact]
    public void Build_Full_RunsEveryStepInTopologicalOrder()
    {
        var graph = Build(Diamond, RunType.Full, "ignored");

        Assert.Equal(["a", "b", "c", "d"], graph.Steps.Select(s => s.Uuid));
        Assert.Equal(RunType.Full, graph.RunType);
    }

    [Fact]
    public void Build_Full_TiesFollowFileOrderNotUuidOrder()
    {
        var pipeline = new TestPipeline().Step("z").Step("m", "z").Step("b").Step("a", "b").Parse();

        var graph = Build(pipeline, RunType.Full);

        Assert.Equal(["z", "m", "b", "a"], graph.Steps.Select(s => s.Uuid));
    }

    [Fact]
    public void Build_Full_ChildBeforeParentInFile_ParentRunsFirst()
    {
        var pipeline = new TestPipeline().Step("child", "parent").Step("parent").Parse();

        Assert.Equal(["parent", "child"], Build(pipeline, RunType.Full).Steps.Select(s => s.Uuid));
    }

    [Fact]
    public void Build_SelectionOfChainEnds_RunsThemWithoutEdge()
    {
        var graph = Build(Chain, RunType.Selection, "a", "c");

        Assert.Equal(["a", "c"], graph.Steps.Select(s => s.Uuid));
        Assert.Empty(graph.Get("c").Parents);
        Assert.Empty(graph.Get("a").Children);
        Assert.False(graph.Contains("b"));
    }

    [Fact]
    public void Build_SelectionOfAdjacentSteps_KeepsTheirEdge()
    {
        var graph = Build(Chain, RunType.Selection, "c", "b");

        Assert.Equal(["b", "c"], graph.Steps.Select(s => s.Uuid));
        Assert.Equal(["b"], graph.Get("c").Parents);
        Assert.Empty(graph.Get("b").Parents);
    }

    [Fact]
    public void Build_IncomingOfLastTwo_RunsOnlyTheFirst()
    {
        var graph = Build(Chain, RunType.Incoming, "b", "c");

        Assert.Equal(["a"], graph.Steps.Select(s => s.Uuid));
        Assert.Empty(graph.Get("a").Children);
    }

    [Fact]
    public void Build_IncomingOfDiamondSink_RunsEverythingAbove()
    {
        var graph = Build(Diamond, RunType.Incoming, "d");

        Assert.Equal(["a", "b", "c"], graph.Steps.Select(s => s.Uuid));
        Assert.Equal(["b", "c"], graph.Get("a").Children);
    }

    [Fact]
    public void Build_IncomingOfAncestorAndDescendant_ExcludesBoth()
    {
        // Orchest removes every chosen step, even one that is an ancestor of another chosen step.
        var graph = Build(Diamond, RunType.Incoming, "b", "d");

        Assert.Equal(["a", "c"], graph.Steps.Select(s => s.Uuid));
        Assert.Equal(["a"], graph.Get("c").Parents);
    }

    [Fact]
    public void Build_Parents_FollowIncomingConnectionsOrder()
    {
        var graph = Build(Diamond, RunType.Full);

        Assert.Equal(["c", "b"], graph.Get("d").Parents);
        Assert.Equal(["b", "c"], graph.Get("a").Children);
    }

    [Fact]
    public void Build_StepsByTitle_Resolve()
    {
        var pipeline = new TestPipeline().Step("u1", "Load", "l.py").Step("u2", "Train", "t.py", "u1").Parse();

        var graph = Build(pipeline, RunType.Selection, "Train");

        Assert.Equal(["u2"], graph.Steps.Select(s => s.Uuid));
        Assert.Equal("Train", graph.Steps[0].Step.Title);
    }

    [Fact]
    public void Build_UnknownStep_Reports()
    {
        var problem = Problem(Chain, RunType.Selection, "a", "nope");

        Assert.Equal(("unknown_step", "main.orchest: a selection run names step \"nope\", but no step has that uuid or title."), (problem.Code, problem.Message));
    }

    [Fact]
    public void Build_AmbiguousTitle_NamesTheUuids()
    {
        var pipeline = new TestPipeline().Step("u1", "Load", "l.py").Step("u2", "Load", "m.py").Parse();

        var problem = Problem(pipeline, RunType.Incoming, "Load");

        Assert.Equal(("ambiguous_step_title", "main.orchest: an incoming run names step \"Load\", a title shared by steps u1 and u2; name the step by uuid."), (problem.Code, problem.Message));
    }

    [Fact]
    public void Build_UuidMatchingAnotherStepsTitle_PrefersUuid()
    {
        var pipeline = new TestPipeline().Step("x", "y", "x.py").Step("y", "Y", "y.py").Parse();

        Assert.Equal(["y"], Build(pipeline, RunType.Selection, "y").Steps.Select(s => s.Uuid));
    }

    [Theory]
    [InlineData(RunType.Selection, "main.orchest: a selection run needs at least one step; none was given.")]
    [InlineData(RunType.Incoming, "main.orchest: an incoming run needs at least one step; none was given.")]
    public void Build_NoStepsChosen_ReportsEmptySelection(RunType runType, string message)
    {
        var problem = Problem(Chain, runType);

        Assert.Equal(("empty_selection", message), (problem.Code, problem.Message));
    }

    [Fact]
    public void Build_IncomingOfRoot_SaysItHasNoIncomingSteps()
    {
        var problem = Problem(Chain, RunType.Incoming, "a");

        Assert.Equal(("empty_run", "main.orchest: an incoming run of \"A\" (a) has no steps to run: \"A\" (a) has no incoming steps."), (problem.Code, problem.Message));
    }

    [Fact]
    public void Build_IncomingOfStepAndItsOnlyAncestors_ExplainsWhy()
    {
        var problem = Problem(Chain, RunType.Incoming, "b", "a");

        Assert.Equal("main.orchest: an incoming run of \"B\" (b) and \"A\" (a) has no steps to run: \"A\" (a) has no incoming steps and every other ancestor is one of the chosen steps.", problem.Message);
    }

    [Fact]
    public void Build_FullOfEmptyPipeline_ReportsEmptyRun()
    {
        var problem = Problem(new TestPipeline().Parse(), RunType.Full);

        Assert.Equal(("empty_run", "main.orchest: the pipeline has no steps to run."), (problem.Code, problem.Message));
    }

    [Fact]
    public void Build_UnvalidatedCycle_ReportsCycleInsteadOfRunning()
    {
        var pipeline = new TestPipeline().Step("a", "b").Step("b", "a").Parse();

        Assert.Equal("cycle", Problem(pipeline, RunType.Full).Code);
    }

    [Fact]
    public void DescendantsOf_Diamond_AreAllBelow()
    {
        var graph = Build(Diamond, RunType.Full);

        Assert.Equal(["b", "c", "d"], graph.DescendantsOf("a").Order(StringComparer.Ordinal));
        Assert.Equal(["d"], graph.DescendantsOf("b"));
        Assert.Empty(graph.DescendantsOf("d"));
    }

    [Fact]
    public void DescendantsOf_OnlyWithinTheRun()
    {
        var graph = Build(Chain, RunType.Selection, "a", "c");

        Assert.Empty(graph.DescendantsOf("a"));
    }

    [Fact]
    public void Get_StepNotInRun_Throws()
    {
        var graph = Build(Chain, RunType.Selection, "a");

        var error = Assert.Throws<KeyNotFoundException>(() => graph.Get("b"));
        Assert.Equal("Step b is not part of this run.", error.Message);
    }

    [Theory]
    [InlineData("full", true, RunType.Full)]
    [InlineData("selection", true, RunType.Selection)]
    [InlineData("incoming", true, RunType.Incoming)]
    [InlineData("Incoming", true, RunType.Incoming)]
    [InlineData("all", false, RunType.Full)]
    [InlineData("", false, RunType.Full)]
    public void TryParseRunType_OrchestValues_Parse(string text, bool parsed, RunType expected)
    {
        Assert.Equal(parsed, RunGraphBuilder.TryParseRunType(text, out var runType));
        Assert.Equal(expected, runType);
    }
}

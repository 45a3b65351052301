using System.Text.RegularExpressions;
using CsCheck;
using Orchest.Pipelines.Tests.Support;

namespace Orchest.Pipelines.Tests;

public sealed partial class RunGraphPropertyTests
{
    private static int Number(string uuid) => int.Parse(uuid.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);

    private static void AssertTopological(RunGraph graph)
    {
        var position = graph.Steps.Select((s, i) => (s.Uuid, i)).ToDictionary(p => p.Uuid, p => p.i);
        foreach (var step in graph.Steps)
        {
            Assert.All(step.Parents, parent => Assert.True(position[parent] < position[step.Uuid], $"{parent} runs after its child {step.Uuid}"));
            Assert.All(step.Children, child => Assert.Contains(step.Uuid, graph.Get(child).Parents));
        }
    }

    [Fact]
    public void Build_FullOnRandomDag_TopologicalOrderRespectsEveryEdge()
    {
        RandomDag.Gen.Sample(dag =>
        {
            var graph = RunGraphBuilder.Build(dag.ToPipeline().Parse(), RunType.Full, []).Graph!;

            Assert.Equal(dag.Count, graph.Steps.Count);
            AssertTopological(graph);
            Assert.All(graph.Steps, s => Assert.Equal(dag.Parents[Number(s.Uuid)].Select(RandomDag.Name), s.Parents));
        });
    }

    [Fact]
    public void Build_SelectionOnRandomDag_IsInducedSubgraph()
    {
        RandomDag.Gen.Where(d => d.Chosen.Count > 0).Sample(dag =>
        {
            var graph = RunGraphBuilder.Build(dag.ToPipeline().Parse(), RunType.Selection, [.. dag.Chosen]).Graph!;

            Assert.Equal(dag.Chosen.Order(StringComparer.Ordinal), graph.Steps.Select(s => s.Uuid).Order(StringComparer.Ordinal));
            AssertTopological(graph);
            foreach (var step in graph.Steps)
            {
                var expected = dag.Parents[Number(step.Uuid)].Select(RandomDag.Name).Where(dag.Chosen.Contains);
                Assert.Equal(expected, step.Parents);
            }
        });
    }

    [Fact]
    public void Build_IncomingOnRandomDag_IsStrictAncestorsOfChosen()
    {
        RandomDag.Gen.Where(d => d.Chosen.Count > 0).Sample(dag =>
        {
            var chosen = dag.Chosen.Select(Number).ToHashSet();
            var expected = Enumerable.Range(0, dag.Count)
                .Where(i => !chosen.Contains(i) && chosen.Any(c => dag.IsAncestor(i, c)))
                .Select(RandomDag.Name)
                .ToHashSet();

            var result = RunGraphBuilder.Build(dag.ToPipeline().Parse(), RunType.Incoming, [.. dag.Chosen]);

            if (expected.Count == 0)
            {
                Assert.Equal("empty_run", Assert.Single(result.Problems).Code);
                return;
            }

            var graph = result.Graph!;
            Assert.Equal(expected.Order(StringComparer.Ordinal), graph.Steps.Select(s => s.Uuid).Order(StringComparer.Ordinal));
            AssertTopological(graph);
            Assert.All(graph.Steps, s => Assert.Equal(dag.Parents[Number(s.Uuid)].Select(RandomDag.Name).Where(expected.Contains), s.Parents));
        });
    }

    [Fact]
    public void Validate_RandomDag_ReportsNothing()
    {
        RandomDag.Gen.Sample(dag =>
        {
            var pipeline = dag.ToPipeline().Parse();

            Assert.Empty(PipelineValidator.Validate(pipeline, FakeProjectFiles.For(pipeline)));
        });
    }

    [Fact]
    public void Validate_RandomGraphWithPlantedCycle_NamesARealCycle()
    {
        var gen = RandomDag.Gen.Where(d => d.Count >= 2).SelectMany(dag =>
            Gen.Select(Gen.Int[2, dag.Count], Gen.Int.Array[dag.Count], (length, keys) =>
            {
                var members = Enumerable.Range(0, dag.Count).OrderBy(i => keys[i]).ThenBy(i => i).Take(length).ToList();
                var edges = members.Select((m, i) => (Parent: m, Child: members[(i + 1) % length])).ToList();
                return (Dag: dag, Edges: edges);
            }));

        gen.Sample(sample =>
        {
            var pipeline = sample.Dag.ToPipeline(sample.Edges).Parse();

            var problems = PipelineValidator.Validate(pipeline, FakeProjectFiles.For(pipeline));

            Assert.NotEmpty(problems);
            Assert.All(problems, p => Assert.Equal("cycle", p.Code));
            foreach (var problem in problems)
            {
                var named = StepUuids().Matches(problem.Message).Select(m => m.Groups[1].Value).ToList();
                Assert.True(named.Count >= 3, problem.Message);
                Assert.Equal(named[0], named[^1]);
                Assert.Equal(named.Count - 1, named.Take(named.Count - 1).Distinct().Count());
                for (var i = 0; i + 1 < named.Count; i++)
                {
                    Assert.Contains(named[i], pipeline.GetStep(named[i + 1])!.IncomingConnections);
                }
            }
        });
    }

    [GeneratedRegex(@"\((s\d+)\)")]
    private static partial Regex StepUuids();
}

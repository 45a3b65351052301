using CsCheck;
using Orchest.Engine.Runs;
using Orchest.Testing;

namespace Orchest.Engine.Tests;

public class OrderingPropertyTests
{
    /// <summary>Random DAG: n steps, an edge i -> j (i &lt; j) with the given bits; optional per-run limit.</summary>
    private static readonly Gen<(int N, bool[] Edges, int Limit)> Dags =
        Gen.Int[1, 18].SelectMany(n => Gen.Select(Gen.Bool.Array[n * n], Gen.Int[0, 4], (edges, limit) => (n, edges, limit)));

    private static PipelineBuilder Build(int n, bool[] edges, int limit)
    {
        var builder = new PipelineBuilder().Setting("max_steps_parallelism", limit);
        for (var j = 0; j < n; j++)
        {
            var parents = Enumerable.Range(0, j).Where(i => edges[(i * n) + j]).Select(i => $"S{i}").ToArray();
            builder.Shell($"S{j}", parents);
        }

        return builder;
    }

    [Fact]
    public async Task Run_RandomDag_EveryStepOnceAndNeverBeforeItsParentsSucceeded()
    {
        await Dags.SampleAsync(async (n, edges, limit) =>
        {
            var builder = Build(n, edges, limit);
            var runner = new RecordingRunner();
            await using var harness = new EngineHarness(runner);
            var run = await harness.RunAsync(builder);

            Assert.Equal(ExecutionStatus.Success, run.Run.Status);
            Assert.Equal(n * 2, runner.Events.Count);
            foreach (var step in run.Steps)
            {
                Assert.Single(runner.Events, e => e.StepUuid == step.Uuid && e.IsStart);
                foreach (var parent in step.Parents)
                {
                    Assert.True(runner.EndOf(parent) < runner.StartOf(step.Uuid), $"{step.Title} started before a parent ended");
                }
            }

            if (limit > 0)
            {
                Assert.True(runner.MaxConcurrent <= limit, $"{runner.MaxConcurrent} steps ran at once, limit {limit}");
            }
        }, iter: 40, threads: 1);
    }

    [Fact]
    public async Task Run_HostParallelism_CapsStepsAcrossTheHost()
    {
        var builder = new PipelineBuilder();
        for (var i = 0; i < 12; i++)
        {
            builder.Shell($"S{i}");
        }

        var runner = new RecordingRunner(work: TimeSpan.FromMilliseconds(20));
        await using var harness = new EngineHarness(runner, hostParallelism: 3);
        var run = await harness.RunAsync(builder);

        Assert.Equal(ExecutionStatus.Success, run.Run.Status);
        Assert.InRange(runner.MaxConcurrent, 2, 3);
    }
}

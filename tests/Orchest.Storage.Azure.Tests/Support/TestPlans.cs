using Orchest.Engine.Runs;
using Orchest.Pipelines;
using Orchest.Testing;

namespace Orchest.Storage.Azure.Tests.Support;

/// <summary>Run plans from pipeline builders, as the API would make them.</summary>
internal static class TestPlans
{
    public static RunPlan Plan(
        PipelineBuilder builder,
        string projectId = "p1",
        string workspace = "/tmp/none",
        IReadOnlyDictionary<string, string>? environment = null,
        DateTimeOffset? created = null,
        string pipelinePath = "main.orchest")
    {
        var read = PipelineFile.Parse(builder.ToJson(), pipelinePath);
        Assert.True(read.IsValid, string.Join("; ", read.Problems.Select(p => p.Message)));
        var graph = RunGraphBuilder.Build(read.Pipeline!, RunType.Full, []);
        var request = new RunRequest
        {
            ProjectId = projectId,
            Workspace = workspace,
            EnvironmentVariables = environment ?? new Dictionary<string, string>(),
        };
        return RunPlanner.Plan(request, read.Pipeline!, graph.Graph!, created ?? DateTimeOffset.UtcNow);
    }

    /// <summary>Root "R" with <paramref name="children"/> children "C0".."Cn-1" and, if asked, a fan-in "J" under all of them.</summary>
    public static PipelineBuilder FanOut(int children, bool fanIn = false)
    {
        var builder = new PipelineBuilder("fan-out").Shell("R");
        var titles = Enumerable.Range(0, children).Select(i => $"C{i}").ToArray();
        foreach (var title in titles)
        {
            builder.Shell(title, "R");
        }

        if (fanIn)
        {
            builder.Shell("J", titles);
        }

        return builder;
    }

    public static PipelineBuilder Chain(params string[] titles)
    {
        var builder = new PipelineBuilder("chain");
        for (var i = 0; i < titles.Length; i++)
        {
            if (i == 0)
            {
                builder.Shell(titles[i]);
            }
            else
            {
                builder.Shell(titles[i], titles[i - 1]);
            }
        }

        return builder;
    }
}

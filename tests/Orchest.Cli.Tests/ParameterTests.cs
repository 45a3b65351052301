using System.Text.Json.Nodes;
using Orchest.Cli.Tests.Support;
using Orchest.Testing;

namespace Orchest.Cli.Tests;

/// <summary>--param, --step-param and --env as Python steps see them through the SDK and the environment.</summary>
public sealed class ParameterTests : IDisposable
{
    private const string ShowParameters = """
        import json, os
        import orchest

        step, pipeline = orchest.parameters.get_params()
        print("pipeline", json.dumps(pipeline, sort_keys=True))
        print("step", json.dumps(step, sort_keys=True))
        print("count", repr(orchest.get_pipeline_param("count")))
        print("label", repr(orchest.get_pipeline_param("label")))
        print("missing", repr(orchest.get_pipeline_param("missing", "fallback")))
        print("threshold", repr(orchest.get_step_param("threshold")))
        print("env", repr(os.environ.get("GREETING")), repr(os.environ.get("EMPTY")))

        """;

    private readonly TempProject _project = new("parameters");

    [Fact]
    public async Task Run_ParamsAndStepParams_AreMergedOverTheDefaultsAndTypedAsJson()
    {
        var pipeline = new PipelineBuilder()
            .Step("Show", "show.py", ShowParameters, parameters: new JsonObject { ["threshold"] = 0.5, ["kept"] = "step default" })
            .Step("Other", "other.py", ShowParameters, parameters: new JsonObject { ["threshold"] = 1 });
        pipeline.Parameters["count"] = 1;
        pipeline.Parameters["label"] = "default label";
        pipeline.Parameters["untouched"] = true;
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(
            _project,
            "--param", "count=3",
            "--param", "label=plain text",
            "--param", "nested={\"a\": [1, 2]}",
            "--step-param", "Show:threshold=0.75",
            "--step-param", $"{pipeline.StepUuid("Other")}:threshold=\"as string\"",
            "--step-param", $"{pipeline.StepUuid("Other")}:extra=null");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            [
                "pipeline {\"count\": 3, \"label\": \"plain text\", \"nested\": {\"a\": [1, 2]}, \"untouched\": true}",
                "step {\"kept\": \"step default\", \"threshold\": 0.75}",
                "count 3",
                "label 'plain text'",
                "missing 'fallback'",
                "threshold 0.75",
                "env None None",
            ],
            result.LogLines("Show"));
        Assert.Equal("step {\"extra\": null, \"threshold\": \"as string\"}", result.LogLines("Other")[1]);
        Assert.Equal("threshold 'as string'", result.LogLines("Other")[5]);
    }

    [Fact]
    public async Task Run_StepParamForATitleContainingAColon_AppliesToThatStep()
    {
        // Orchest titles are free text; "Stage 1: clean" is a typical one.
        var pipeline = new PipelineBuilder().Step("Stage 1: clean", "clean.py", ShowParameters, parameters: new JsonObject { ["threshold"] = 0.5 });
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project, "--step-param", "Stage 1: clean:threshold=2");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("threshold 2", result.LogLines("Stage 1: clean")[5]);
    }

    [Fact]
    public async Task Run_WithoutParams_StepsSeeThePipelineDefaults()
    {
        var pipeline = new PipelineBuilder().Step("Show", "show.py", ShowParameters, parameters: new JsonObject { ["threshold"] = 0.5 });
        pipeline.Parameters["count"] = 1;
        pipeline.Parameters["label"] = "default label";
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["count 1", "label 'default label'"], result.LogLines("Show").Skip(2).Take(2));
        Assert.Equal("threshold 0.5", result.LogLines("Show")[5]);

        // The pipeline file itself is never changed by a run's parameters.
        Assert.Equal(pipeline.ToJson(), _project.Read("main.orchest"));
    }

    [Fact]
    public async Task Run_EnvValues_AreVisibleToPythonAndBashSteps()
    {
        var pipeline = new PipelineBuilder()
            .Step("Show", "show.py", ShowParameters)
            .Step("Bash", "bash.sh", "echo \"greeting=$GREETING empty=[$EMPTY] spoof=$ORCHEST_STEP_UUID\"\n");
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(
            _project, "--env", "GREETING=hello = world", "--env", "EMPTY=", "--env", "ORCHEST_STEP_UUID=spoofed");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("env 'hello = world' ''", result.LogLines("Show")[^1]);
        Assert.Equal([$"greeting=hello = world empty=[] spoof={pipeline.StepUuid("Bash")}"], result.LogLines("Bash"));
    }

    [Fact]
    public async Task Run_PythonStep_ImportsTheSdkShippedBesideTheCli()
    {
        var pipeline = new PipelineBuilder().Step("Where", "where.py", "import orchest\nprint(orchest.__file__)\n");
        _project.WritePipeline(pipeline);

        var result = await OrchestCli.RunJsonAsync(_project);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([Path.Combine(AppContext.BaseDirectory, "sdk", "python", "orchest", "__init__.py")], result.LogLines("Where"));
    }

    public void Dispose() => _project.Dispose();
}

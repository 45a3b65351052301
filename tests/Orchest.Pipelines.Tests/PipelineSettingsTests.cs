using System.Text.Json.Nodes;
using Orchest.Pipelines.Tests.Support;

namespace Orchest.Pipelines.Tests;

public sealed class PipelineSettingsTests
{
    private static PipelineReadResult ParseWithSettings(string settings) =>
        PipelineFile.Parse($$"""{"name": "x", "uuid": "u", "version": "1.2.3", "settings": {{settings}}, "steps": {} }""", "main.orchest");

    private static PipelineProblem SingleProblem(string settings)
    {
        var result = ParseWithSettings(settings);
        Assert.NotNull(result.Pipeline);
        return Assert.Single(result.Problems);
    }

    [Fact]
    public void Parse_SettingsAbsentOrEmpty_UsesDefaults()
    {
        var settings = ParseWithSettings("{}").Pipeline!.Settings;

        Assert.Equal(0, settings.MaxStepsParallelism);
        Assert.Equal(FailurePolicy.FailFast, settings.FailurePolicy);
        Assert.Same(RetryPolicy.None, settings.Retry);
        Assert.False(settings.AutoEviction);
        Assert.Null(settings.DataPassingMemorySize);
    }

    [Fact]
    public void Parse_AllSettingsGiven_ReadsThem()
    {
        var settings = ParseWithSettings("""
            {"max_steps_parallelism": 3, "failure_policy": "continue", "auto_eviction": true, "data_passing_memory_size": "1.5 GB",
             "retry": {"max_attempts": 3, "backoff_seconds": 2.5, "max_backoff_seconds": 60}}
            """).Pipeline!.Settings;

        Assert.Equal(3, settings.MaxStepsParallelism);
        Assert.Equal(FailurePolicy.Continue, settings.FailurePolicy);
        Assert.True(settings.AutoEviction);
        Assert.Equal("1.5 GB", settings.DataPassingMemorySize);
        Assert.Equal(new RetryPolicy(3, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(60)), settings.Retry);
    }

    [Theory]
    [InlineData("-1", "main.orchest: settings.max_steps_parallelism must be an integer >= 0 (0 means no limit), got -1.")]
    [InlineData("2.5", "main.orchest: settings.max_steps_parallelism must be an integer >= 0 (0 means no limit), got 2.5.")]
    [InlineData("\"4\"", "main.orchest: settings.max_steps_parallelism must be an integer >= 0 (0 means no limit), got \"4\".")]
    [InlineData("true", "main.orchest: settings.max_steps_parallelism must be an integer >= 0 (0 means no limit), got true.")]
    public void Parse_BadMaxStepsParallelism_Reports(string value, string message)
    {
        var problem = SingleProblem($$"""{"max_steps_parallelism": {{value}}}""");

        Assert.Equal(("invalid_setting", "settings.max_steps_parallelism", message), (problem.Code, problem.Field, problem.Message));
    }

    [Fact]
    public void Parse_BadFailurePolicy_Reports()
    {
        var problem = SingleProblem("""{"failure_policy": "stop"}""");

        Assert.Equal("main.orchest: settings.failure_policy must be \"fail-fast\" or \"continue\", got \"stop\".", problem.Message);
    }

    [Theory]
    [InlineData("\"1GB\"", true)]
    [InlineData("\"512 MB\"", true)]
    [InlineData("\"0.5KB\"", true)]
    [InlineData("\"1TB\"", false)]
    [InlineData("\"1gb\"", false)]
    [InlineData("\"GB\"", false)]
    [InlineData("1", false)]
    [InlineData("null", false)]
    public void Parse_DataPassingMemorySize_MatchesOrchestPattern(string value, bool valid)
    {
        var result = ParseWithSettings($$"""{"data_passing_memory_size": {{value}}}""");

        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            Assert.Equal($"main.orchest: settings.data_passing_memory_size must be a size such as \"1GB\" (a number followed by KB, MB or GB), got {value}.", Assert.Single(result.Problems).Message);
        }
    }

    [Fact]
    public void Parse_AutoEvictionNotBool_Reports()
    {
        Assert.Equal("main.orchest: settings.auto_eviction must be true or false, got \"yes\".", SingleProblem("""{"auto_eviction": "yes"}""").Message);
    }

    [Fact]
    public void Parse_SettingsNotObject_Reports()
    {
        var problem = SingleProblem("[]");

        Assert.Equal(("invalid_field_type", "main.orchest: settings must be an object, got []."), (problem.Code, problem.Message));
    }

    [Theory]
    [InlineData("[3]", "settings.retry", "main.orchest: settings.retry must be an object such as {\"max_attempts\": 3, \"backoff_seconds\": 5}, got [3].")]
    [InlineData("{\"max_attempts\": 0}", "settings.retry.max_attempts", "main.orchest: settings.retry.max_attempts must be an integer from 1 to 100 (1 means no retry), got 0.")]
    [InlineData("{\"max_attempts\": 2.5}", "settings.retry.max_attempts", "main.orchest: settings.retry.max_attempts must be an integer from 1 to 100 (1 means no retry), got 2.5.")]
    [InlineData("{\"backoff_seconds\": -1}", "settings.retry.backoff_seconds", "main.orchest: settings.retry.backoff_seconds must be a number of seconds from 0 to 86400, got -1.")]
    [InlineData("{\"max_backoff_seconds\": \"1m\"}", "settings.retry.max_backoff_seconds", "main.orchest: settings.retry.max_backoff_seconds must be a number of seconds from 0 to 86400, got \"1m\".")]
    [InlineData("{\"max_attempt\": 3}", "settings.retry.max_attempt", "main.orchest: settings.retry has the unknown field \"max_attempt\" (known: max_attempts, backoff_seconds, max_backoff_seconds).")]
    public void Parse_MalformedRetry_Reports(string retry, string field, string message)
    {
        var problem = SingleProblem($$"""{"retry": {{retry}}}""");

        Assert.Equal(("invalid_retry", field, message), (problem.Code, problem.Field, problem.Message));
    }

    [Fact]
    public void Parse_StepRetry_InheritsAbsentFieldsFromSettings()
    {
        var builder = new TestPipeline().Step("a").Step("b");
        builder.Settings["retry"] = new JsonObject { ["max_attempts"] = 2, ["backoff_seconds"] = 10 };
        builder.Set("a", "retry", new JsonObject { ["max_attempts"] = 4 });

        var pipeline = builder.Parse();

        Assert.Equal(new RetryPolicy(4, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(300)), pipeline.GetStep("a")!.Retry);
        Assert.Null(pipeline.GetStep("b")!.Retry);
        Assert.Equal(new RetryPolicy(2, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(300)), pipeline.Settings.Retry);
    }

    [Fact]
    public void Parse_StepRetryMalformed_ReportsNamingTheStep()
    {
        var builder = new TestPipeline().Step("a", "Train", "train.py").Set("a", "retry", new JsonObject { ["max_attempts"] = -2 });

        var problem = Assert.Single(PipelineFile.Parse(builder.ToJson(), "main.orchest").Problems);

        Assert.Equal(("invalid_retry", "retry.max_attempts", "a"), (problem.Code, problem.Field, problem.StepUuid));
        Assert.Equal("main.orchest: step \"Train\" (a): retry.max_attempts must be an integer from 1 to 100 (1 means no retry), got -2.", problem.Message);
    }
}

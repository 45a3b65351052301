using System.Text.Json.Nodes;
using Orchest.Pipelines.Parameters;
using Orchest.Pipelines.Tests.Support;

namespace Orchest.Pipelines.Tests;

public sealed class JobParametersTests
{
    private const string StepUuid = "ac57a0e6-5b6a-4b6c-9c55-0c1d3d6b1b71";

    [Fact]
    public void Read_OrchestStrategyAsGrid_MakesEightRunsFirstKeySlowest()
    {
        // Orchest's conformance fixture (client/src/jobs-view/__mocks__/editJobView.mock.ts): the step's
        // parameter first, then the pipeline's, the first key varying slowest.
        var grid = new JsonObject
        {
            [StepUuid] = new JsonObject { ["baz"] = new JsonArray("hello", "world") },
            ["pipeline_parameters"] = new JsonObject { ["bar"] = new JsonArray(true, false), ["foo"] = new JsonArray(123, 456) },
        };
        var problems = new List<string>();

        var parameters = JobParameters.Read(null, grid, problems)!;

        Assert.Empty(problems);
        Assert.Equal(ParameterSource.Grid, parameters.Source);
        Assert.Equal(
            [
                ("hello", true, 123), ("hello", true, 456), ("hello", false, 123), ("hello", false, 456),
                ("world", true, 123), ("world", true, 456), ("world", false, 123), ("world", false, 456),
            ],
            parameters.Sets.Select(s => (
                (string)s.StepParameters.Single().Value["baz"]!,
                (bool)s.PipelineParameters!["bar"]!,
                (int)s.PipelineParameters!["foo"]!)));
    }

    [Fact]
    public void Bind_ListEntry_ReplacesPipelineAndNamedStepParametersWholesale()
    {
        var pipeline = Pipeline(pipelineParameters: new() { ["keep"] = 1, ["x"] = 1 }, stepParameters: new() { ["old"] = true });
        var list = JsonNode.Parse("""[{"pipeline_parameters": {"x": 2}, "A": {"new": "v"}}, {"B": {"only": 1}}]""");
        var problems = new List<string>();

        var bound = JobParameters.Read(list, null, problems)!.Bind(pipeline, problems)!;

        Assert.Empty(problems);
        Assert.Equal("""{"x":2}""", bound[0].Pipeline.Parameters.ToJsonString());
        Assert.Equal("""{"new":"v"}""", bound[0].Pipeline.GetStep("a")!.Parameters.ToJsonString());
        Assert.Equal("{}", bound[0].Pipeline.GetStep("b")!.Parameters.ToJsonString());

        // No pipeline_parameters in the entry: the run has none (Orchest's RunJob).
        Assert.Equal("{}", bound[1].Pipeline.Parameters.ToJsonString());
        Assert.Equal("""{"only":1}""", bound[1].Pipeline.GetStep("b")!.Parameters.ToJsonString());
        Assert.Equal("""{"pipeline_parameters":{"x":2},"a":{"new":"v"}}""", bound[0].Parameters.ToJsonString());
        Assert.Equal([0, 1], bound.Select(b => b.Index));
    }

    [Fact]
    public void Bind_GridPoint_ReplacesOnlyTheParametersItNames()
    {
        var pipeline = Pipeline(pipelineParameters: new() { ["keep"] = 1, ["x"] = 1 }, stepParameters: new() { ["old"] = true });
        var grid = JsonNode.Parse("""{"pipeline_parameters": {"x": [2, 3]}, "a": {"new": ["v"]}}""");
        var problems = new List<string>();

        var bound = JobParameters.Read(null, grid, problems)!.Bind(pipeline, problems)!;

        Assert.Empty(problems);
        Assert.Equal(["""{"keep":1,"x":2}""", """{"keep":1,"x":3}"""], bound.Select(b => b.Pipeline.Parameters.ToJsonString()));
        Assert.Equal("""{"old":true,"new":"v"}""", bound[1].Pipeline.GetStep("a")!.Parameters.ToJsonString());
        Assert.Equal("""{"pipeline_parameters":{"x":3},"a":{"new":"v"}}""", bound[1].Parameters.ToJsonString());
    }

    [Fact]
    public void Bind_NoneGiven_OneRunWithThePipelinesOwnParameters()
    {
        var pipeline = Pipeline(pipelineParameters: new() { ["keep"] = 1 }, stepParameters: new() { ["old"] = true });
        var problems = new List<string>();

        var bound = JobParameters.Read(null, null, problems)!.Bind(pipeline, problems)!;

        Assert.Equal("""{"keep":1}""", Assert.Single(bound).Pipeline.Parameters.ToJsonString());
        Assert.Equal("{}", bound[0].Parameters.ToJsonString());
    }

    [Fact]
    public void Bind_UnknownAndAmbiguousSteps_NamesEachOnce()
    {
        var pipeline = new TestPipeline().Step("a").Step("b", "Same", "b.py").Step("c", "Same", "c.py").Parse();
        var list = JsonNode.Parse("""[{"nope": {"p": 1}}, {"nope": {"p": 2}, "Same": {"p": 3}}]""");
        var problems = new List<string>();

        var bound = JobParameters.Read(list, null, problems)!.Bind(pipeline, problems);

        Assert.Null(bound);
        Assert.Equal(
            [
                "The parameters name step \"nope\", which main.orchest does not have.",
                "The parameters name step \"Same\", a title shared by steps b, c; use a uuid.",
            ],
            problems);
    }

    [Theory]
    [InlineData("[]", null, "\"parameters\" must be a non-empty list of parameter sets (one run each), like [{\"pipeline_parameters\": {...}}].")]
    [InlineData("{}", null, "\"parameters\" must be a non-empty list of parameter sets (one run each), like [{\"pipeline_parameters\": {...}}].")]
    [InlineData("[3]", null, "\"parameters\"[0] must be an object like {\"pipeline_parameters\": {...}, \"<step uuid or title>\": {...}}.")]
    [InlineData("""[{"pipeline_parameters": 1}]""", null, "\"parameters\"[0].pipeline_parameters must be an object of parameter values.")]
    [InlineData("[{}]", "{}", "Give either \"parameters\" or \"grid\", not both.")]
    [InlineData(null, "{}", "\"grid\" must be an object like {\"pipeline_parameters\": {\"<parameter>\": [values...]}, \"<step uuid or title>\": {...}} with at least one parameter.")]
    [InlineData(null, """{"pipeline_parameters": {"x": []}}""", "\"grid\".pipeline_parameters.x must be a non-empty list of values.")]
    [InlineData(null, """{"pipeline_parameters": {"x": 3}}""", "\"grid\".pipeline_parameters.x must be a non-empty list of values.")]
    [InlineData(null, """{"a": []}""", "\"grid\".a must be an object mapping parameter names to lists of values.")]
    public void Read_Invalid_SaysWhatIsWrong(string? list, string? grid, string expected)
    {
        var problems = new List<string>();

        var parameters = JobParameters.Read(list is null ? null : JsonNode.Parse(list), grid is null ? null : JsonNode.Parse(grid), problems);

        Assert.Null(parameters);
        Assert.Equal([expected], problems);
    }

    [Fact]
    public void Read_GridBeyondTheLimit_IsRejected()
    {
        var values = new JsonArray([.. Enumerable.Range(0, 40).Select(i => (JsonNode)i)]);
        var grid = new JsonObject { ["pipeline_parameters"] = new JsonObject { ["a"] = values.DeepClone(), ["b"] = values.DeepClone() } };
        var problems = new List<string>();

        Assert.Null(JobParameters.Read(null, grid, problems));
        Assert.Equal(["\"grid\" makes 1600 combinations; a job starts at most 1000 runs per tick."], problems);
    }

    private static PipelineDefinition Pipeline(JsonObject pipelineParameters, JsonObject stepParameters)
    {
        var document = new TestPipeline().Step("a").Step("b", "a").ToJsonObject();
        document["parameters"] = pipelineParameters;
        document["steps"]!["a"]!["parameters"] = stepParameters;
        return TestPipeline.Parse(document);
    }
}

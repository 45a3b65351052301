using System.Text.Json.Nodes;
using Orchest.Pipelines.Tests.Support;

namespace Orchest.Pipelines.Tests;

/// <summary>Fields of the wrong type or missing: reported by Parse, with defaults in their place.</summary>
public sealed class PipelineFieldTests
{
    private static PipelineProblem SingleProblem(JsonObject document)
    {
        var result = PipelineFile.Parse(document.ToJsonString(), "main.orchest");
        Assert.NotNull(result.Pipeline);
        Assert.False(result.IsValid);
        return Assert.Single(result.Problems);
    }

    [Fact]
    public void Parse_NameMissing_ReportsMissingField()
    {
        var document = new TestPipeline().ToJsonObject();
        document.Remove("name");

        var problem = SingleProblem(document);

        Assert.Equal(("missing_field", "name", "main.orchest: name is missing."), (problem.Code, problem.Field, problem.Message));
    }

    [Fact]
    public void Parse_NameLongerThan255_ReportsNameTooLong()
    {
        var document = new TestPipeline().ToJsonObject();
        document["name"] = new string('n', 256);

        var problem = SingleProblem(document);

        Assert.Equal(("name_too_long", "main.orchest: name is 256 characters long; the limit is 255."), (problem.Code, problem.Message));
    }

    [Fact]
    public void Parse_NameOf255Characters_IsValid()
    {
        var document = new TestPipeline().ToJsonObject();
        document["name"] = new string('n', 255);

        Assert.True(PipelineFile.Parse(document.ToJsonString(), "main.orchest").IsValid);
    }

    [Fact]
    public void Parse_NameNotString_ReportsInvalidFieldType()
    {
        var document = new TestPipeline().ToJsonObject();
        document["name"] = 5;

        var problem = SingleProblem(document);

        Assert.Equal(("invalid_field_type", "main.orchest: name must be a string, got 5."), (problem.Code, problem.Message));
    }

    [Fact]
    public void Parse_UuidMissing_ReportsMissingField()
    {
        var document = new TestPipeline().ToJsonObject();
        document.Remove("uuid");

        Assert.Equal("main.orchest: uuid is missing.", SingleProblem(document).Message);
    }

    [Fact]
    public void Parse_PipelineParametersNotObject_ReportsInvalidFieldType()
    {
        var document = new TestPipeline().ToJsonObject();
        document["parameters"] = new JsonArray(1);

        var problem = SingleProblem(document);

        Assert.Equal("main.orchest: parameters must be an object, got [1].", problem.Message);
    }

    [Fact]
    public void Parse_StepNotObject_ReportsAndSkipsIt()
    {
        var document = new TestPipeline().Step("a").ToJsonObject();
        document["steps"]!["b"] = "oops";

        var result = PipelineFile.Parse(document.ToJsonString(), "main.orchest");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(("invalid_field_type", "steps.b"), (problem.Code, problem.Field));
        Assert.Equal("main.orchest: steps.b must be an object (a step), got \"oops\".", problem.Message);
        Assert.Equal(["a"], result.Pipeline!.Steps.Select(s => s.Uuid));
    }

    [Fact]
    public void Parse_StepParametersNotObject_ReportsNamingTheStep()
    {
        var document = new TestPipeline().Step("a", "Clean data", "a.py").Set("a", "parameters", new JsonArray(1, 2)).ToJsonObject();

        var problem = SingleProblem(document);

        Assert.Equal("invalid_field_type", problem.Code);
        Assert.Equal("main.orchest: step \"Clean data\" (a): parameters must be an object, got [1,2].", problem.Message);
        Assert.Equal(("a", "Clean data", "parameters"), (problem.StepUuid, problem.StepTitle, problem.Field));
    }

    [Fact]
    public void Parse_IncomingConnectionsNotArray_Reports()
    {
        var document = new TestPipeline().Step("a", "A", "a.py").Set("a", "incoming_connections", "b").ToJsonObject();

        Assert.Equal("main.orchest: step \"A\" (a): incoming_connections must be an array of step uuids, got \"b\".", SingleProblem(document).Message);
    }

    [Fact]
    public void Parse_IncomingConnectionsWithNonString_ReportsAndKeepsStrings()
    {
        var document = new TestPipeline().Step("b").Step("a", "A", "a.py", "b").ToJsonObject();
        document["steps"]!["a"]!["incoming_connections"]!.AsArray().Add(7);

        var result = PipelineFile.Parse(document.ToJsonString(), "main.orchest");

        var problem = Assert.Single(result.Problems);
        Assert.Equal("main.orchest: step \"A\" (a): incoming_connections must contain only step uuids (strings), got 7.", problem.Message);
        Assert.Equal(["b"], result.Pipeline!.GetStep("a")!.IncomingConnections);
    }

    [Theory]
    [InlineData("title", "5", "main.orchest: step (a): title must be a string, got 5.")]
    [InlineData("uuid", "5", "main.orchest: step \"A\" (a): uuid must be a string, got 5.")]
    [InlineData("file_path", "null", "main.orchest: step \"A\" (a): file_path must be a string, got null.")]
    [InlineData("file_path", "\"\"", "main.orchest: step \"A\" (a): file_path is empty.")]
    [InlineData("environment", "{}", "main.orchest: step \"A\" (a): environment must be a string, got {}.")]
    [InlineData("kernel", "\"python\"", "main.orchest: step \"A\" (a): kernel must be an object such as {\"name\": \"python\"}, got \"python\".")]
    [InlineData("kernel", "{\"name\": 1}", "main.orchest: step \"A\" (a): kernel.name must be a string, got 1.")]
    public void Parse_StepFieldOfWrongType_Reports(string field, string json, string message)
    {
        var document = new TestPipeline().Step("a", "A", "a.py").Set("a", field, JsonNode.Parse(json)).ToJsonObject();

        Assert.Equal(message, SingleProblem(document).Message);
    }

    [Fact]
    public void Parse_FilePathMissing_ReportsMissingField()
    {
        var document = new TestPipeline().Step("a", "A", "a.py").Set("a", "file_path", null, remove: true).ToJsonObject();

        var problem = SingleProblem(document);

        Assert.Equal(("missing_field", "file_path"), (problem.Code, problem.Field));
        Assert.Equal("main.orchest: step \"A\" (a): file_path is missing.", problem.Message);
    }

    [Fact]
    public void Parse_ThreeDifferentProblems_ReportsAllThree()
    {
        var document = new TestPipeline().Step("a", "A", "a.py").Set("a", "parameters", 1).ToJsonObject();
        document["name"] = new string('n', 300);
        document["settings"]!["max_steps_parallelism"] = -1;

        var result = PipelineFile.Parse(document.ToJsonString(), "main.orchest");

        Assert.Equal(["name_too_long", "invalid_setting", "invalid_field_type"], result.Problems.Select(p => p.Code));
    }

    [Fact]
    public void WithParameters_ReplacesPipelineAndListedStepParameters()
    {
        var document = new TestPipeline().Step("a").Step("b", "a").ToJsonObject();
        document["parameters"] = new JsonObject { ["keep"] = 1, ["x"] = 1 };
        document["steps"]!["a"]!["parameters"] = new JsonObject { ["old"] = true };
        document["steps"]!["b"]!["parameters"] = new JsonObject { ["untouched"] = true };
        var pipeline = TestPipeline.Parse(document);

        var job = pipeline.WithParameters(
            new JsonObject { ["x"] = 2 },
            new Dictionary<string, JsonObject> { ["a"] = new() { ["new"] = "v" } });

        Assert.Equal("""{"x":2}""", job.Parameters.ToJsonString());
        Assert.Equal("""{"new":"v"}""", job.GetStep("a")!.Parameters.ToJsonString());
        Assert.Equal("""{"untouched":true}""", job.GetStep("b")!.Parameters.ToJsonString());
        Assert.Equal("""{"keep":1,"x":1}""", pipeline.Parameters.ToJsonString());
        Assert.Equal("""{"old":true}""", pipeline.GetStep("a")!.Parameters.ToJsonString());
    }

    [Fact]
    public void WithParameters_NullPipelineParameters_KeepsThem()
    {
        var document = new TestPipeline().Step("a").ToJsonObject();
        document["parameters"] = new JsonObject { ["keep"] = 1 };

        var job = TestPipeline.Parse(document).WithParameters(null, null);

        Assert.Equal("""{"keep":1}""", job.Parameters.ToJsonString());
    }

    [Fact]
    public void WithParameters_UnknownStep_Throws()
    {
        var pipeline = new TestPipeline().Step("a").Parse();

        var error = Assert.Throws<ArgumentException>(() =>
            pipeline.WithParameters(null, new Dictionary<string, JsonObject> { ["zzz"] = [] }));

        Assert.StartsWith("main.orchest: the parameters name step \"zzz\", which is not a step of this pipeline.", error.Message, StringComparison.Ordinal);
    }
}

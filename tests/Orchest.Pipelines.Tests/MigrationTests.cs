using System.Text.Json.Nodes;
using Orchest.Pipelines.Tests.Support;

namespace Orchest.Pipelines.Tests;

/// <summary>Each step of Orchest's compat.py, on documents that start at the step's version.</summary>
public sealed class MigrationTests
{
    private static JsonObject Migrate(string json)
    {
        var result = PipelineFile.Parse(json, "main.orchest");
        Assert.NotNull(result.Pipeline);
        return result.Pipeline.ToJson();
    }

    private static JsonObject Services(string version, string services) =>
        Migrate($$"""{"name": "x", "uuid": "u", "version": "{{version}}", "settings": {}, "steps": {}, "services": {{services}}}""");

    /// <summary>Same fields in the same order with the same values.</summary>
    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), actual?.ToJsonString());

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    public void Parse_VersionMissingOrEmpty_MigratesFrom100(string version)
    {
        var versionField = version.Length == 0 ? "" : $"\"version\": {version},";
        var result = PipelineFile.Parse($$"""{"name": "x", "uuid": "u", {{versionField}} "settings": {}, "steps": {} }""", "main.orchest");

        Assert.Equal("1.0.0", result.Pipeline!.OriginalVersion);
        Assert.Equal("1.2.3", result.Pipeline.Version);
        Assert.Equal("1.2.3", (string?)result.Pipeline.ToJson()["version"]);
        Assert.Equal("{}", result.Pipeline.ToJson()["parameters"]!.ToJsonString());
    }

    [Fact]
    public void Parse_Latest_KeepsDocumentUnchanged()
    {
        var document = new TestPipeline().Step("a").ToJsonObject();
        document["settings"]!["max_steps_parallelism"] = 3;

        var pipeline = TestPipeline.Parse(document);

        Assert.Equal("1.2.3", pipeline.OriginalVersion);
        Assert.Equal(3, pipeline.Settings.MaxStepsParallelism);
        Assert.True(JsonNode.DeepEquals(document, pipeline.ToJson()));
    }

    [Fact]
    public void Migrate100_ParametersMissing_AddsEmptyObject()
    {
        var migrated = Migrate("""{"name": "x", "uuid": "u", "version": "1.0.0", "settings": {}, "steps": {}}""");

        Assert.Equal("{}", migrated["parameters"]!.ToJsonString());
    }

    [Fact]
    public void Migrate100_KernelIr_BecomesR()
    {
        var migrated = Migrate("""
            {"name": "x", "uuid": "u", "version": "1.0.0", "settings": {}, "steps": {
              "a": {"file_path": "a.R", "kernel": {"name": "ir", "display_name": "R"}},
              "b": {"file_path": "b.py", "kernel": {"name": "python"}}}}
            """);

        Assert.Equal("r", (string?)migrated["steps"]!["a"]!["kernel"]!["name"]);
        Assert.Equal("R", (string?)migrated["steps"]!["a"]!["kernel"]!["display_name"]);
        Assert.Equal("python", (string?)migrated["steps"]!["b"]!["kernel"]!["name"]);
    }

    [Fact]
    public void Migrate100_InvalidEnvVarNames_SanitisedWithCumulativeSuffixes()
    {
        var migrated = Services("1.0.0", """
            {"s": {"name": "s", "image": "x", "env_variables": {"A B": "1", "A_B": "2", "A.B": "3", "OK": "4", "A_B_2": "5"}}}
            """);

        // "A B" -> A_B; "A_B" collides -> A_B_2; "A.B" -> A_B, A_B_2 taken -> A_B_2_3; "A_B_2" collides -> A_B_2_2.
        Assert.Equal(
            """{"A_B":"1","A_B_2":"2","A_B_2_3":"3","OK":"4","A_B_2_2":"5"}""",
            migrated["services"]!["s"]!["env_variables"]!.ToJsonString());
    }

    [Fact]
    public void Migrate100_NonStringEnvValue_RebuildsKeepingValidNames()
    {
        var migrated = Services("1.0.0", """{"s": {"name": "s", "image": "x", "env_variables": {"OK": 1}}}""");

        Assert.Equal("""{"OK":1}""", migrated["services"]!["s"]!["env_variables"]!.ToJsonString());
    }

    [Fact]
    public void Migrate100_EnvVariablesInherit_SanitisedAndAlwaysPresent()
    {
        var migrated = Services("1.0.0", """
            {"a": {"name": "a", "image": "x", "env_variables_inherit": ["X Y", "X_Y", "Z"]},
             "b": {"name": "b", "image": "x"}}
            """);

        Assert.Equal("""["X_Y","X_Y_2","Z"]""", migrated["services"]!["a"]!["env_variables_inherit"]!.ToJsonString());
        Assert.Equal("[]", migrated["services"]!["b"]!["env_variables_inherit"]!.ToJsonString());
        Assert.False(migrated["services"]!["b"]!.AsObject().ContainsKey("env_variables"));
    }

    [Fact]
    public void Migrate110_EntrypointAndCommand_BecomeCommandAndArgs()
    {
        var migrated = Services("1.1.0", """
            {"a": {"name": "a", "image": "x", "entrypoint": "bash", "command": "-c 'run'", "ports": [1]},
             "b": {"name": "b", "image": "x", "entrypoint": "sh", "ports": [1]},
             "c": {"name": "c", "image": "x", "command": "serve", "ports": [1]}}
            """)["services"]!;

        // Later migrations add "order".
        AssertJson("""{"name":"a","image":"x","ports":[1],"args":"-c 'run'","command":"bash","exposed":false,"requires_authentication":true,"order":0}""", migrated["a"]);
        AssertJson("""{"name":"b","image":"x","ports":[1],"command":"sh","exposed":false,"requires_authentication":true,"order":1}""", migrated["b"]);
        AssertJson("""{"name":"c","image":"x","command":"serve","ports":[1],"exposed":false,"requires_authentication":true,"order":2}""", migrated["c"]);
    }

    [Theory]
    [InlineData("bitnami/Redis:6", 6379)]
    [InlineData("postgres", 5432)]
    [InlineData("orchest/streamlit", 8501)]
    [InlineData("mysql:8", 3306)]
    [InlineData("rabbitmq:3", 5672)]
    [InlineData("tensorflow/tensorflow", 6006)]
    [InlineData("voila", 8866)]
    [InlineData("mlflow", 5000)]
    [InlineData("rocker/shiny", 8000)]
    [InlineData("redis-postgres", 6379)]
    [InlineData("codercom/code-server", 8080)]
    public void Migrate110_PortsMissing_InferredFromImage(string image, int port)
    {
        var migrated = Services("1.1.0", $$"""{"s": {"name": "s", "image": "{{image}}", "ports": []} }""");

        Assert.Equal($"[{port}]", migrated["services"]!["s"]!["ports"]!.ToJsonString());
    }

    [Fact]
    public void Migrate110_ExistingExposedAndAuthentication_Kept()
    {
        var migrated = Services("1.1.0", """{"s": {"name": "s", "image": "x", "ports": [80], "exposed": true, "requires_authentication": false}}""");

        AssertJson("""{"name":"s","image":"x","ports":[80],"exposed":true,"requires_authentication":false,"order":0}""", migrated["services"]!["s"]);
    }

    [Fact]
    public void Migrate110_PortsMissingAndNoImage_ReportsInvalidService()
    {
        var result = PipelineFile.Parse("""{"name": "x", "uuid": "u", "version": "1.1.0", "settings": {}, "steps": {}, "services": {"s": {"name": "s"}}}""", "main.orchest");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(("invalid_service", "services.s.image"), (problem.Code, problem.Field));
        Assert.Equal("main.orchest: service \"s\": image must be a string to infer the service's ports, got null.", problem.Message);
        Assert.NotNull(result.Pipeline);
    }

    [Fact]
    public void Migrate120_OrdersMissing_FilledAlphabeticallyAfterLast()
    {
        var migrated = Services("1.2.0", """
            {"zeta": {"name": "zeta"}, "alpha": {"name": "alpha"}, "mid": {"name": "mid", "order": 4}}
            """)["services"]!;

        Assert.Equal([5, 6, 4], new[] { "alpha", "zeta", "mid" }.Select(k => (int)migrated[k]!["order"]!));
    }

    [Fact]
    public void Migrate120_RepeatedOrders_OnlyAdjacentRepeatsBumped()
    {
        // Orchest's quirk: sorted [1, 1, 1] becomes [1, 2, 1]; missing orders continue after the last one seen (1).
        var migrated = Services("1.2.0", """
            {"a": {"name": "a", "order": 1}, "b": {"name": "b", "order": 1}, "c": {"name": "c", "order": 1}, "d": {"name": "d"}}
            """)["services"]!;

        Assert.Equal([1, 2, 1, 2], new[] { "a", "b", "c", "d" }.Select(k => (int)migrated[k]!["order"]!));
    }

    [Fact]
    public void Migrate120_NoServices_AddsNothing()
    {
        var migrated = Migrate("""{"name": "x", "uuid": "u", "version": "1.2.0", "settings": {}, "steps": {}}""");

        Assert.False(migrated.ContainsKey("services"));
    }

    [Fact]
    public void Migrate120_OrderNotNumber_ReportsAndLeavesOrders()
    {
        var result = PipelineFile.Parse("""{"name": "x", "uuid": "u", "version": "1.2.0", "settings": {}, "steps": {}, "services": {"a": {"name": "a", "order": "1"}, "b": {"name": "b"}}}""", "main.orchest");

        Assert.Equal("main.orchest: service \"a\": order must be a number, got \"1\".", Assert.Single(result.Problems).Message);
        Assert.False(result.Pipeline!.ToJson()["services"]!["b"]!.AsObject().ContainsKey("order"));
    }

    [Fact]
    public void Migrate121_Names_LowerCasedStrippedTruncatedAndRekeyed()
    {
        var migrated = Services("1.2.1", """
            {"My-Service": {"name": "My-Service", "order": 0},
             "ok": {"name": "ok", "order": 1},
             "12abcdefghijklmnopqrstuvwxyz0123": {"name": "12abcdefghijklmnopqrstuvwxyz0123", "order": 2},
             "nameless": {"order": 3}}
            """)["services"]!.AsObject();

        Assert.Equal(["ok", "nameless", "my-service", "abcdefghijklmnopqrstuvwxyz"], migrated.Select(e => e.Key));
        Assert.Equal("my-service", (string?)migrated["my-service"]!["name"]);
        Assert.Equal("", (string?)migrated["nameless"]!["name"]);
    }

    [Fact]
    public void Migrate121_NamesColliding_FallBackToStableUuidPrefixes()
    {
        const string json = """{"name": "x", "uuid": "u", "version": "1.2.1", "settings": {}, "steps": {}, "services": {"1vscode": {"name": "1vscode"}, "2vscode": {"name": "2vscode"}, "Keep": {"name": "Keep"}}}""";

        var first = Migrate(json)["services"]!.AsObject();
        var second = Migrate(json)["services"]!.AsObject();

        var keys = first.Select(e => e.Key).ToList();
        Assert.Equal(3, keys.Count);
        Assert.Equal("keep", keys[2]);
        Assert.All(keys.Take(2), k => Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{2}$", k));
        Assert.NotEqual(keys[0], keys[1]);
        Assert.Equal(keys, second.Select(e => e.Key));
        Assert.All(first, e => Assert.Equal(e.Key, (string?)e.Value!["name"]));
    }

    [Fact]
    public void Migrate121_NewNameTakenByExistingService_FallsBackInsteadOfOverwriting()
    {
        var migrated = Services("1.2.1", """{"redis": {"name": "redis", "image": "a"}, "Redis": {"name": "Redis", "image": "b"}}""")["services"]!.AsObject();

        Assert.Equal(2, migrated.Count);
        Assert.Equal("a", (string?)migrated["redis"]!["image"]);
    }

    [Fact]
    public void Migrate122_MaxStepsParallelism_SetToZeroUnconditionally()
    {
        var migrated = Migrate("""{"name": "x", "uuid": "u", "version": "1.2.2", "settings": {"max_steps_parallelism": 4}, "steps": {}}""");

        Assert.Equal("""{"max_steps_parallelism":0}""", migrated["settings"]!.ToJsonString());
    }

    [Fact]
    public void Migrate_ServicesNotObject_ReportsOnce()
    {
        var result = PipelineFile.Parse("""{"name": "x", "uuid": "u", "version": "1.0.0", "settings": {}, "steps": {}, "services": [1]}""", "main.orchest");

        var problem = Assert.Single(result.Problems);
        Assert.Equal("main.orchest: services must be an object keyed by service name, got [1].", problem.Message);
    }

    [Fact]
    public void Migrate_ServicesConnectivityExample_MatchesOrchestResult()
    {
        var result = PipelineFile.Parse(OrchestExamples.ServicesConnectivity, "services_connectivity.orchest");

        Assert.True(result.IsValid, string.Join("\n", result.Problems.Select(p => p.Message)));
        var migrated = result.Pipeline!.ToJson();
        Assert.Equal("1.2.3", (string?)migrated["version"]);
        Assert.Equal("1.0.0", result.Pipeline.OriginalVersion);
        Assert.Equal("""{"auto_eviction":false,"data_passing_memory_size":"1GB","max_steps_parallelism":0}""", migrated["settings"]!.ToJsonString());

        var services = migrated["services"]!.AsObject();
        Assert.Equal(["postgres", "redis", "streamlit", "tensorboard", "vscode"], services.Select(s => s.Key));
        Assert.Equal([0, 1, 2, 3, 4], services.Select(s => (int)s.Value!["order"]!));
        Assert.All(services, s => Assert.False((bool)s.Value!["exposed"]!));
        Assert.All(services, s => Assert.True((bool)s.Value!["requires_authentication"]!));
        Assert.All(services, s => Assert.Equal("[]", s.Value!["env_variables_inherit"]!.ToJsonString()));
        Assert.Equal("[5432]", services["postgres"]!["ports"]!.ToJsonString());
        Assert.Equal("[6379]", services["redis"]!["ports"]!.ToJsonString());
        Assert.Equal("[8501]", services["streamlit"]!["ports"]!.ToJsonString());
        Assert.Equal("[6006]", services["tensorboard"]!["ports"]!.ToJsonString());
        Assert.Equal("[8080]", services["vscode"]!["ports"]!.ToJsonString());
        Assert.Equal("bash", (string?)services["streamlit"]!["command"]);
        Assert.Equal("-c 'umask 002 && touch /usr/src/app/src/streamlit.py && streamlit run src/streamlit.py'", (string?)services["streamlit"]!["args"]);
        Assert.False(services["streamlit"]!.AsObject().ContainsKey("entrypoint"));
        Assert.False(services["postgres"]!.AsObject().ContainsKey("command"));
        Assert.Equal("""{"POSTGRES_HOST_AUTH_METHOD":"trust"}""", services["postgres"]!["env_variables"]!.ToJsonString());
    }

    [Fact]
    public void Migrate_DataPassingExample_OnlyVersionAndParallelismChange()
    {
        var original = JsonNode.Parse(OrchestExamples.DataPassing)!.AsObject();

        var migrated = PipelineFile.Parse(OrchestExamples.DataPassing, "data-passing.orchest").Pipeline!.ToJson();

        original["version"] = "1.2.3";
        original["settings"]!["max_steps_parallelism"] = 0;
        Assert.True(JsonNode.DeepEquals(original, migrated), migrated.ToJsonString());
    }
}

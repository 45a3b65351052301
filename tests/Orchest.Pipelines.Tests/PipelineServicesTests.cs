using Orchest.Pipelines.Services;
using Orchest.Pipelines.Tests.Support;

namespace Orchest.Pipelines.Tests;

public sealed class PipelineServicesTests
{
    [Fact]
    public void Read_ServicesConnectivityExample_ValidInOrderWithInferredPorts()
    {
        var read = PipelineFile.Parse(OrchestExamples.ServicesConnectivity, "services_connectivity.orchest");
        var problems = new List<PipelineProblem>();

        var services = PipelineServices.Read(read.Pipeline!, null, problems);

        Assert.Empty(problems);
        Assert.Equal(["postgres", "redis", "streamlit", "tensorboard", "vscode"], services.Select(s => s.Name));
        Assert.Equal(["postgres", "redis", "streamlit"], services.Where(s => s.RunsNonInteractive).Select(s => s.Name));
        var streamlit = services.Single(s => s.Name == "streamlit");
        Assert.Equal("bash", streamlit.Command);
        Assert.Equal([8501], streamlit.Ports);
        Assert.Equal("/usr/src/app/src", streamlit.Binds["/project-dir"]);
        Assert.Equal([6379], services.Single(s => s.Name == "redis").Ports);
        Assert.Equal("trust", services.Single(s => s.Name == "postgres").EnvironmentVariables["POSTGRES_HOST_AUTH_METHOD"]);
    }

    [Fact]
    public void Read_EnvironmentImage_KnownEnvironmentIsValid()
    {
        var pipeline = Parse("""{"kv": {"name": "kv", "image": "environment@env-1", "scope": ["noninteractive"], "ports": [6379], "order": 0, "env_variables_inherit": ["TOKEN"]}}""");
        var problems = new List<PipelineProblem>();

        var service = Assert.Single(PipelineServices.Read(pipeline, ["env-1"], problems));

        Assert.Empty(problems);
        Assert.Equal("env-1", service.EnvironmentUuid);
        Assert.Equal(["TOKEN"], service.InheritedVariables);
    }

    [Theory]
    [InlineData("""{"Db": {"name": "Db", "image": "postgres", "scope": ["noninteractive"], "ports": [5432], "order": 0}}""",
        "service \"Db\" field \"name\": the name must start with a lower-case letter and have at most 26 lower-case letters, digits and '-'.")]
    [InlineData("""{"db": {"name": "db", "image": "", "scope": ["noninteractive"], "ports": [5432], "order": 0}}""",
        "service \"db\" field \"image\": \"image\" is missing: name a Docker image or environment@<environment uuid>.")]
    [InlineData("""{"db": {"name": "db", "image": "environment@", "scope": ["noninteractive"], "ports": [5432], "order": 0}}""",
        "service \"db\" field \"image\": \"environment@\" names no environment: write environment@<environment uuid>.")]
    [InlineData("""{"db": {"name": "db", "image": "postgres", "scope": [], "ports": [5432], "order": 0}}""",
        "service \"db\" field \"scope\": \"scope\" needs at least one of interactive, noninteractive.")]
    [InlineData("""{"db": {"name": "db", "image": "postgres", "scope": ["batch"], "ports": [5432], "order": 0}}""",
        "service \"db\" field \"scope\": scope \"batch\" is not one of interactive, noninteractive.")]
    [InlineData("""{"db": {"name": "db", "image": "postgres", "scope": ["noninteractive"], "ports": [], "order": 0}}""",
        "service \"db\" field \"ports\": \"ports\" needs at least one port (a whole number), the port the service listens on.")]
    [InlineData("""{"db": {"name": "db", "image": "postgres", "scope": ["noninteractive"], "ports": [70000], "order": 0}}""",
        "service \"db\" field \"ports\": port 70000 is not a whole number from 1 to 65535 (Orchest refuses strings too).")]
    [InlineData("""{"db": {"name": "db", "image": "postgres", "scope": ["noninteractive"], "ports": [5432, 5432], "order": 0}}""",
        "service \"db\" field \"ports\": port 5432 is listed twice.")]
    [InlineData("""{"db": {"name": "db", "image": "postgres", "scope": ["noninteractive"], "ports": [5432], "order": 0, "binds": {"/data": "data"}}}""",
        "service \"db\" field \"binds\": bind \"/data\" must map to an absolute path inside the service container.")]
    [InlineData("""{"db": {"name": "db", "image": "postgres", "scope": ["noninteractive"], "ports": [5432], "order": 0, "env_variables": {"A B": "x"}}}""",
        "service \"db\" field \"env_variables\": variable name \"A B\" may only contain letters, digits, '-' and '_'.")]
    [InlineData("""{"db": {"name": "db", "image": "postgres", "scope": ["noninteractive"], "ports": [5432], "order": 0, "env_variables": {"A": 1}}}""",
        "service \"db\" field \"env_variables\": variable \"A\" must be a string.")]
    [InlineData("""{"db": {"name": "db", "image": "postgres", "scope": ["noninteractive"], "ports": [5432], "order": "first"}}""",
        "service \"db\" field \"order\": \"order\" must be a whole number.")]
    [InlineData("""{"db": {"name": "db", "image": "postgres", "scope": ["noninteractive"], "ports": [5432], "order": 0, "exposed": "yes"}}""",
        "service \"db\" field \"exposed\": \"exposed\" must be true or false.")]
    [InlineData("""{"db": {"name": "db", "image": "environment@missing", "scope": ["noninteractive"], "ports": [5432], "order": 0}}""",
        "service \"db\" field \"image\": environment \"missing\" does not exist in the project (no .orchest/environments/missing/properties.json).")]
    [InlineData("""{"db": {"name": "db", "image": "Postgres:LATEST tag", "scope": ["noninteractive"], "ports": [5432], "order": 0}}""",
        "service \"db\" field \"image\": \"Postgres:LATEST tag\" is not a Docker image reference (e.g. redis, redis:7, registry:5000/team/db@sha256:...).")]
    [InlineData("""{"db": 3}""", "service \"db\": must be an object.")]
    public void Read_BrokenRule_NamesServiceAndField(string services, string expected)
    {
        var pipeline = Parse(services);
        var problems = new List<PipelineProblem>();

        var read = PipelineServices.Read(pipeline, ["env-1"], problems);

        var problem = Assert.Single(problems);
        Assert.Equal("invalid_service", problem.Code);
        Assert.Equal("main.orchest: " + expected, problem.Message);
        Assert.Empty(read);
    }

    [Fact]
    public void Validate_DuplicateOrder_ReportedByThePipelineValidator()
    {
        var pipeline = Parse("""{"a": {"name": "a", "image": "redis", "scope": ["noninteractive"], "ports": [1], "order": 3}, "b": {"name": "b", "image": "registry.local:5000/team/b:1.0", "scope": ["interactive"], "ports": [2], "order": 3}}""");

        var problems = PipelineValidator.Validate(pipeline, new EmptyProject());

        Assert.Equal(["main.orchest: service \"b\" field \"order\": order 3 is also the order of service \"a\"; each service needs its own."], problems.Select(p => p.Message));
        Assert.Equal("services.b.order", problems[0].Field);
    }

    private static PipelineDefinition Parse(string services)
    {
        var read = PipelineFile.Parse($$"""{"name": "x", "uuid": "u", "version": "1.2.3", "settings": {}, "steps": {}, "services": {{services}}}""", "main.orchest");
        Assert.True(read.IsValid, string.Join("; ", read.Problems.Select(p => p.Message)));
        return read.Pipeline!;
    }

    private sealed class EmptyProject : IProjectFiles
    {
        public IReadOnlyDictionary<string, EnvironmentDefinition> Environments { get; } = new Dictionary<string, EnvironmentDefinition>();

        public ProjectPathStatus GetStatus(string projectRelativePath) => ProjectPathStatus.File;
    }
}

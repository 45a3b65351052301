namespace Orchest.Pipelines.Tests;

public sealed class ServiceSupportTests
{
    [Fact]
    public void Unavailable_PipelineWithServices_NamesThemAndTheRunner()
    {
        var pipeline = Parse("""{"redis": {"name": "redis", "image": "redis"}, "key-only": {"image": "x"}}""");

        var problem = ServiceSupport.Unavailable(pipeline, "process");

        Assert.Equal(["redis", "key-only"], ServiceSupport.DeclaredServices(pipeline));
        Assert.NotNull(problem);
        Assert.Equal("services_unavailable", problem.Code);
        Assert.Equal("services", problem.Field);
        Assert.Equal(
            "main.orchest: the pipeline declares services \"redis\", \"key-only\", but the process runner cannot start services; run it with --runner docker (services run as containers beside the steps) or remove \"services\" from the pipeline.",
            problem.Message);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData(null)]
    public void Unavailable_NoServices_IsNull(string? services)
    {
        var pipeline = Parse(services);

        Assert.Null(ServiceSupport.Unavailable(pipeline, "docker"));
        Assert.Empty(ServiceSupport.DeclaredServices(pipeline));
    }

    [Fact]
    public void Validate_PipelineWithServices_IsNotAProblemOfTheModelItself()
    {
        // Whether services can run depends on the runner: the pure validation stays silent.
        var pipeline = Parse("""{"redis": {"name": "redis", "image": "redis"}}""");

        Assert.DoesNotContain(pipeline.ToJson().ToJsonString(), "services_unavailable", StringComparison.Ordinal);
        Assert.True(PipelineFile.Parse(pipeline.ToJson().ToJsonString(), "main.orchest").IsValid);
    }

    private static PipelineDefinition Parse(string? services)
    {
        var field = services is null ? "" : $", \"services\": {services}";
        var read = PipelineFile.Parse($$"""{"name": "x", "uuid": "u", "version": "1.2.3", "settings": {}, "steps": {}{{field}}}""", "main.orchest");
        Assert.True(read.IsValid, string.Join("; ", read.Problems.Select(p => p.Message)));
        return read.Pipeline!;
    }
}

namespace Orchest.Pipelines.Tests;

public sealed class EnvironmentDefinitionTests
{
    private const string Uuid = "bb37767a-2e1a-4da3-9468-8c9ba1c91a6b";
    private const string Location = $".orchest/environments/{Uuid}/properties.json";

    [Fact]
    public void Parse_OrchestProperties_ReadsAllFields()
    {
        var properties = $$"""{"gpu_support": true, "language": "r", "uuid": "{{Uuid}}", "name": "R", "base_image": "orchest/base-kernel-r"}""";

        var result = EnvironmentDefinition.Parse(Uuid, properties, "#!/bin/bash\r\napt-get update\rpip install x\n");

        Assert.True(result.IsValid);
        var environment = result.Environment!;
        Assert.Equal((Uuid, "R", "r", "orchest/base-kernel-r", true), (environment.Uuid, environment.Name, environment.Language, environment.BaseImage, environment.GpuSupport));
        Assert.Equal("#!/bin/bash\napt-get update\npip install x\n", environment.SetupScript);
    }

    [Fact]
    public void Parse_MinimalProperties_UsesDefaults()
    {
        var result = EnvironmentDefinition.Parse(Uuid, """{"base_image": "orchest/base-kernel-py"}""", null);

        Assert.True(result.IsValid);
        Assert.Equal((Uuid, "", "python", false, ""), (result.Environment!.Uuid, result.Environment.Name, result.Environment.Language, result.Environment.GpuSupport, result.Environment.SetupScript));
    }

    [Fact]
    public void Parse_InvalidJson_Reports()
    {
        var result = EnvironmentDefinition.Parse(Uuid, "{\"name\": }", null);

        Assert.Null(result.Environment);
        var problem = Assert.Single(result.Problems);
        Assert.Equal($"{Location}: invalid JSON at line 1, column 10: '}}' is an invalid start of a value.", problem.Message);
        Assert.Null(problem.PipelinePath);
    }

    [Fact]
    public void Parse_UuidDifferentFromFolder_Reports()
    {
        var result = EnvironmentDefinition.Parse(Uuid, """{"uuid": "other", "base_image": "x"}""", null);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("environment_uuid_mismatch", problem.Code);
        Assert.Equal($"{Location}: uuid \"other\" does not match its folder name \"{Uuid}\".", problem.Message);
    }

    [Fact]
    public void Parse_BaseImageMissing_Reports()
    {
        var problem = Assert.Single(EnvironmentDefinition.Parse(Uuid, "{}", null).Problems);

        Assert.Equal(("missing_field", $"{Location}: base_image is missing; set it to an image such as \"orchest/base-kernel-py\"."), (problem.Code, problem.Message));
    }

    [Fact]
    public void Parse_NotObject_ReportsInvalidRoot()
    {
        var problem = Assert.Single(EnvironmentDefinition.Parse(Uuid, "[]", null).Problems);

        Assert.Equal(("invalid_root", $"{Location}: properties.json must contain a JSON object, got []."), (problem.Code, problem.Message));
    }

    [Fact]
    public void Parse_GpuSupportNotBool_Reports()
    {
        var problem = Assert.Single(EnvironmentDefinition.Parse(Uuid, """{"base_image": "x", "gpu_support": "no"}""", null).Problems);

        Assert.Equal($"{Location}: gpu_support must be true or false, got \"no\".", problem.Message);
    }
}

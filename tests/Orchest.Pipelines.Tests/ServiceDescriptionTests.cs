using Orchest.Pipelines.Services;

namespace Orchest.Pipelines.Tests;

public sealed class ServiceDescriptionTests
{
    [Fact]
    public void Of_PublishedPorts_MapEachDeclaredPortInOrderAtTheGivenHost()
    {
        var service = new PipelineService
        {
            Name = "db", Image = "postgres", Ports = [5432, 8080], Scope = ["noninteractive"], Order = 2,
            EnvironmentVariables = new Dictionary<string, string> { ["MODE"] = "test" },
        };

        var described = ServiceDescription.Of(service, "10.0.0.5", [40001, 40002]);

        Assert.Equal(
            """{"name":"db","image":"postgres","command":"","args":"","binds":{},"env_variables":{"MODE":"test"},"env_variables_inherit":[],"order":2,"exposed":false,"internal_hostname":"10.0.0.5","ports":[40001,40002],"container_ports":[5432,8080],"port_map":{"5432":40001,"8080":40002},"external_urls":{},"base_paths":{}}""",
            described.ToJsonString());
    }

    [Fact]
    public void Of_PortCountDiffers_Throws()
    {
        var service = new PipelineService { Name = "db", Image = "postgres", Ports = [5432] };

        var error = Assert.Throws<ArgumentException>(() => ServiceDescription.Of(service, "127.0.0.1", []));

        Assert.StartsWith("Service \"db\" declares 1 ports, 0 were published.", error.Message, StringComparison.Ordinal);
    }
}

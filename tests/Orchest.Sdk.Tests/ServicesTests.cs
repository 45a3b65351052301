namespace Orchest.Sdk.Tests;

/// <summary>Services as the docker runner passes them (ORCHEST_SERVICES); only these tests set that variable.</summary>
[Collection(nameof(ServicesTests))]
public sealed class ServicesTests : IDisposable
{
    [Fact]
    public void GetService_FromRunnerVariable_ReturnsOrchestShape()
    {
        Environment.SetEnvironmentVariable(Services.Variable, """{"redis": {"name": "redis", "internal_hostname": "127.0.0.1", "ports": [40123], "container_ports": [6379]}}""");

        var redis = Services.GetService("redis");

        Assert.Equal("127.0.0.1", (string?)redis["internal_hostname"]);
        Assert.Equal(40123, (int)redis["ports"]![0]!);
        Assert.Equal(["redis"], Services.GetServices().Keys);
        var missing = Assert.Throws<ServiceNotFoundException>(() => Services.GetService("postgres"));
        Assert.Equal("Could not find service \"postgres\"; the run's services are: redis.", missing.Message);
    }

    [Fact]
    public void GetService_NoneStarted_SaysHowToGetThem()
    {
        Environment.SetEnvironmentVariable(Services.Variable, null);

        Assert.Empty(Services.GetServices());
        var missing = Assert.Throws<ServiceNotFoundException>(() => Services.GetService("db"));
        Assert.Contains("this run started no services", missing.Message, StringComparison.Ordinal);
        Assert.Contains("--runner docker", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", "ORCHEST_SERVICES is not valid JSON")]
    [InlineData("[1]", "ORCHEST_SERVICES must be a JSON object of service name -> service.")]
    public void GetServices_BadVariable_Refused(string text, string expected)
    {
        Environment.SetEnvironmentVariable(Services.Variable, text);

        var ex = Assert.Throws<StepContextException>(Services.GetServices);

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Environment.SetEnvironmentVariable(Services.Variable, null);
}

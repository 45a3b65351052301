using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchest.Functions.Azure.Hosting;

namespace Orchest.Functions.Azure.Tests.Support;

/// <summary>
/// The worker's services as Program.cs composes them, without the Functions host (which cannot run
/// here): built with scope and build-time validation, never started, so nothing is contacted.
/// </summary>
public static class WorkerServices
{
    public static IHost Build(Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Services.AddOrchestFunctionsApp(builder.Configuration);
        return builder.Build();
    }
}

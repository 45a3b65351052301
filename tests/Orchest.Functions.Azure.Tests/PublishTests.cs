using System.Globalization;
using System.Text.Json;
using Orchest.Durable.AzureStorage;
using Orchest.Functions.Azure.Tests.Support;

namespace Orchest.Functions.Azure.Tests;

/// <summary>The rest of the publish the Functions host needs: the Durable Task extension, the worker, host.json.</summary>
[Collection(PublishedAppCollection.Name)]
public sealed class PublishTests(PublishedApp app)
{
    [Fact]
    public void Publish_LoadsTheDurableTaskExtension()
    {
        using var extensions = app.ReadJson("extensions.json");
        var names = extensions.RootElement.GetProperty("extensions").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();

        Assert.Contains("DurableTask", names);
        Assert.True(File.Exists(Path.Combine(app.Folder, ".azurefunctions", "Microsoft.Azure.WebJobs.Extensions.DurableTask.dll")));
        using var worker = app.ReadJson("worker.config.json");
        Assert.Equal("Orchest.Functions.Azure.dll", worker.RootElement.GetProperty("description").GetProperty("defaultWorkerPath").GetString());
    }

    [Fact]
    public void HostJson_TaskHub_MirrorsServeDefaults()
    {
        // The two hosts of the same orchestrations keep the same failover and latency trade-offs
        // (DESIGN §10); where host.json must differ, it says why.
        var serve = new TaskHubOptions();
        using var host = app.ReadJson("host.json");
        var durable = host.RootElement.GetProperty("extensions").GetProperty("durableTask");
        var storage = durable.GetProperty("storageProvider");

        Assert.Equal("2.0", host.RootElement.GetProperty("version").GetString());
        Assert.Equal("orchest", durable.GetProperty("hubName").GetString());
        Assert.Equal(serve.PartitionCount, storage.GetProperty("partitionCount").GetInt32());
        Assert.Equal(serve.WorkItemVisibilityTimeout, Span(storage, "workItemQueueVisibilityTimeout"));
        Assert.Equal(serve.ControlQueueVisibilityTimeout, Span(storage, "controlQueueVisibilityTimeout"));
        Assert.Equal(serve.MaxQueuePollingInterval, Span(storage, "maxQueuePollingInterval"));
        Assert.False(storage.GetProperty("useTablePartitionManagement").GetBoolean());
        // Off on purpose (host.json says why): the extension would run the projection entity in sessions too.
        Assert.False(durable.GetProperty("extendedSessionsEnabled").GetBoolean());
        Assert.Equal(serve.ExtendedSessionIdleTimeout, TimeSpan.FromSeconds(durable.GetProperty("extendedSessionIdleTimeoutInSeconds").GetInt32()));
        Assert.Equal(serve.MaxConcurrentOrchestrations, durable.GetProperty("maxConcurrentOrchestratorFunctions").GetInt32());
        Assert.Equal(serve.MaxConcurrentEntities, durable.GetProperty("maxConcurrentEntityFunctions").GetInt32());
        Assert.InRange(durable.GetProperty("maxConcurrentActivityFunctions").GetInt32(), 1, 64);
        Assert.Equal("api", host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    private static TimeSpan Span(JsonElement parent, string name) =>
        TimeSpan.Parse(parent.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
}

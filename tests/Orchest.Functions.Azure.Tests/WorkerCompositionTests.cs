using System.Reflection;
using System.Text.Json;
using Azure.Core.Serialization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchest.Durable;
using Orchest.Engine.Scheduling;
using Orchest.Functions.Azure.Durable;
using Orchest.Functions.Azure.Hosting;
using Orchest.Functions.Azure.Tests.Support;

namespace Orchest.Functions.Azure.Tests;

/// <summary>What the worker composes: every function class, the tasks they call, and payloads as serve writes them.</summary>
public sealed class WorkerCompositionTests
{
    [Fact]
    public void Services_EveryFunctionClass_IsMadeInAnInvocationScope()
    {
        using var host = WorkerServices.Build();
        using var scope = host.Services.CreateScope();
        var classes = typeof(FunctionsAppServices).Assembly.GetExportedTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null))
            .ToList();

        Assert.True(classes.Count >= 7, $"found only {classes.Count} classes with functions");
        Assert.All(classes, type => Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, type)));
    }

    [Fact]
    public void Services_EveryDurableTask_IsMadeFromTheWorkerServices()
    {
        using var host = WorkerServices.Build();
        using var scope = host.Services.CreateScope();
        var tasks = scope.ServiceProvider.GetRequiredService<DurableTasks>();

        Assert.All(tasks.Orchestrators, name => Assert.NotNull(tasks.CreateOrchestrator(name, scope.ServiceProvider)));
        Assert.All(tasks.Activities, name => Assert.NotNull(tasks.CreateActivity(name, scope.ServiceProvider)));
        Assert.All(tasks.Entities, name => Assert.NotNull(tasks.CreateEntity(name, scope.ServiceProvider)));
    }

    [Fact]
    public void WorkerSerializer_WritesPayloadsAsServeDoes()
    {
        // Serve's client and shims serialise with DurableJson.Options; the extension serialises every
        // payload with the worker's serializer. A report written by one host must read the same on the other.
        using var host = WorkerServices.Build();
        var serializer = host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value.Serializer;
        var report = new StepReport(2, "host-a:1", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(3), StepOutcome.Failed(1, "exit 1"));

        var written = serializer!.Serialize(report, typeof(StepReport), CancellationToken.None).ToString();

        Assert.IsType<JsonObjectSerializer>(serializer);
        Assert.Equal(JsonSerializer.Serialize(report, DurableJson.Options), written);
        Assert.Contains("\"kind\":\"failed\"", written, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DurableRuns_WithoutAClientBinding_SayWhichTriggersHaveOne()
    {
        using var host = WorkerServices.Build();
        using var scope = host.Services.CreateScope();
        var runs = scope.ServiceProvider.GetRequiredService<IDurableRuns>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => runs.CancelAsync("some-run", "test"));

        Assert.IsType<FunctionsDurableRuns>(runs);
        Assert.Contains("[DurableClient]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DurableRuns_AreOnePerInvocation()
    {
        // Each HTTP invocation gets its own client binding; a client kept across invocations would be stale.
        using var host = WorkerServices.Build();
        using var first = host.Services.CreateScope();
        using var second = host.Services.CreateScope();

        Assert.NotSame(
            first.ServiceProvider.GetRequiredService<InvocationDurableClient>(),
            second.ServiceProvider.GetRequiredService<InvocationDurableClient>());
        Assert.Same(
            first.ServiceProvider.GetRequiredService<InvocationDurableClient>(),
            first.ServiceProvider.GetRequiredService<InvocationDurableClient>());
        Assert.Null(typeof(InvocationDurableClient).GetProperty(nameof(DurableTaskClient)));
    }
}

using Orchest.Durable;
using Orchest.Functions.Azure.Tests.Support;

namespace Orchest.Functions.Azure.Tests;

/// <summary>
/// The published functions.metadata is what the Functions host indexes: a task or route missing there
/// does not exist in Azure, whatever the code says. Every orchestrator, activity and entity of
/// <see cref="DurableTasks"/> and every API route of <c>orchest serve</c> must have its function.
/// </summary>
[Collection(PublishedAppCollection.Name)]
public sealed class FunctionsMetadataTests(PublishedApp app)
{
    private static readonly DurableTasks Tasks = DurableTasks.Runs();

    [Fact]
    public void Metadata_EveryDurableTask_HasAFunctionWithItsTrigger()
    {
        var expected = Tasks.Orchestrators.Select(n => (n, "orchestrationTrigger"))
            .Concat(Tasks.Activities.Select(n => (n, "activityTrigger")))
            .Concat(Tasks.Entities.Select(n => (n, "entityTrigger")))
            .ToList();
        Assert.NotEmpty(expected);

        var problems = new List<string>();
        foreach (var (name, trigger) in expected)
        {
            var function = app.Find(name);
            if (function is null)
            {
                problems.Add($"no function \"{name}\"");
            }
            else if (!string.Equals(function.Trigger.Type, trigger, StringComparison.OrdinalIgnoreCase) || function.Trigger.Direction != "In")
            {
                problems.Add($"\"{name}\" is triggered by {function.Trigger.Type}, not {trigger}");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public async Task Metadata_EveryServeApiRoute_HasAnHttpFunctionWithItsMethodsAndRoute()
    {
        var routes = await ServeRoutesAsync();
        var problems = new List<string>();
        foreach (var route in routes)
        {
            if (app.Find(route.Name) is not { } function)
            {
                problems.Add($"serve's {string.Join(',', route.Methods)} /{route.Route} ({route.Name}) has no function");
                continue;
            }

            var trigger = function.Trigger;
            var functionRoute = "api/" + trigger.Route;
            var methods = (trigger.Methods ?? []).Select(m => m.ToUpperInvariant()).Order().ToList();
            if (trigger.Type != "httpTrigger" || functionRoute != route.Route || !methods.SequenceEqual(route.Methods.Order()))
            {
                problems.Add($"{route.Name}: serve has {string.Join(',', route.Methods)} /{route.Route}, the function {trigger.Type} {string.Join(',', methods)} /{functionRoute}");
            }

            if (!function.Has("http"))
            {
                problems.Add($"{route.Name} has no http output binding: the host would not wait for its response");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public async Task Metadata_HasNoFunctionBeyondServeRoutesAndDurableTasks()
    {
        var known = (await ServeRoutesAsync()).Select(r => r.Name)
            .Concat(Tasks.Orchestrators).Concat(Tasks.Activities).Concat(Tasks.Entities)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        var unknown = app.Functions.Select(f => f.Name).Where(name => !known.Contains(name)).ToList();
        Assert.True(unknown.Count == 0, $"Functions that are neither a serve route nor a durable task: {string.Join(", ", unknown)}");
        Assert.Equal(app.Functions.Count, app.Functions.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Metadata_TriggersThatStartOrSignalOrchestrations_HaveADurableClient()
    {
        // Starting and signalling runs and jobs go through the invocation's task hub client, which the host only
        // hands to functions that declare it (a job tick's activity starts runs; cancelling a job cancels them; a
        // housekeeping round starts a job's missing orchestration and stops an ended push-only job's runs).
        var withClient = app.Functions.Where(f => f.Has("durableClient")).Select(f => f.Name).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
            ["CancelJob", "CancelJobRuns", "CancelRun", "CreateJob", "CreateRun", "HousekeepingRound", "PauseJob", "ReceiveGitHook", "ResumeJob", "StartJobTick",
             "TriggerJob", "UpdateJob"],
            withClient);
    }

    [Fact]
    public async Task Metadata_OnlyHealthAndTheSignedGitHook_AnswerWithoutAKey()
    {
        var http = app.Functions.Where(f => f.Trigger.Type == "httpTrigger").ToList();

        Assert.Equal((await ServeRoutesAsync()).Count, http.Count);
        Assert.All(http, f => Assert.Equal(f.Name is "Health" or "ReceiveGitHook" ? "Anonymous" : "Function", f.Trigger.AuthLevel));
    }

    [Fact]
    public void Metadata_EveryFunction_IsInThePublishedWorker()
    {
        Assert.All(app.Functions, f =>
        {
            Assert.True(File.Exists(Path.Combine(app.Folder, f.ScriptFile)), $"{f.Name}: {f.ScriptFile} is not published");
            Assert.StartsWith("Orchest.Functions.Azure.", f.EntryPoint, StringComparison.Ordinal);
        });
    }

    private static async Task<IReadOnlyList<ServeRoute>> ServeRoutesAsync()
    {
        var routes = await ServeRoute.ReadAsync();
        Assert.Contains(routes, r => r.Name == "CreateRun");
        return routes;
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Orchest.Functions.GitHooks;
using Orchest.Functions.Projects;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>
/// A git push is not lost when its handling dies with its host or fails: forges do not redeliver by themselves, so
/// the housekeeping takes the unanswered claim over (after <c>Orchest:GitHooks:TakeOverAfter</c>, 3 s here),
/// handles the delivery it kept, and records the answer a later redelivery gets, with no second tick or run. The
/// host is SIGKILLed mid-handling (held at its mirror's lock); a death after the runs started is the state it leaves.
/// </summary>
[Collection(ServedCollection.Name)]
public sealed class GitPushRecoveryTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string Secret = "recovery-secret-for-tests";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Push_WhoseHostIsKilledWhileHandlingIt_IsHandledByAnotherHostsHousekeeping_AndARedeliveryGetsThatAnswer()
    {
        await using var bed = new ServedTestbed(azurite, output);
        using var repo = new GitPushRepository(Files("killed"));
        var front = await StartAsync(bed, "front", "api");
        var back = await StartAsync(bed, "back", "worker,timers");
        string project;
        using (var frontApi = bed.Api(front))
        {
            project = await frontApi.CreateProjectAsync("recover-killed-" + bed.Prefix, repo.Bare, webhookSecret: "hooks");
        }

        var push = repo.Push(Change, "a push");
        var delivery = new GitDelivery(GitProvider.GitHub, "killed-" + bed.Prefix, "push", "refs/heads/main", push.Before, push.After);

        // With the front host's mirror lock held here, its handling claims the delivery, then waits to fetch the
        // pushed commit; it is SIGKILLed there. The forge sees the connection drop and does not redeliver.
        var locks = Directory.CreateDirectory(Path.Combine(bed.Root, "front", "git", "locks")).FullName;
        using (new FileStream(Path.Combine(locks, $"mirror-{project}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            using var toFront = front.CreateClient();
            var sent = Send(toFront, project, delivery);
            await Wait.UntilAsync(() => IsClaimedAsync(bed, project), Timeout, front.ToString);
            Assert.False(sent.IsCompleted, "the front host answered although its mirror was locked");
            await front.KillAsync();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => sent);
        }

        var sinceKill = System.Diagnostics.Stopwatch.StartNew();
        // The back host's housekeeping takes the claim over and handles the push with its own mirror.
        var later = await StartAsync(bed, "front2", "api");
        using var api = bed.Api(later);
        var (job, run) = await WaitForPushRunAsync(api, project, back.ToString);
        output.WriteLine($"SIGKILL of the handling host -> the push's run listed: {sinceKill.Elapsed.TotalSeconds:F1} s (TakeOverAfter 3 s, a round a second)");
        Assert.Equal(push.After, (string?)(await api.GetRunAsync(run))["commit"]);
        Assert.Contains($"delivery {delivery.DeliveryId} taken over by the housekeeping (attempt 2; last handling died)", back.Output, StringComparison.Ordinal);

        using var anonymous = later.CreateClient();
        var (status, answer, response) = await UntilAnsweredAsync(anonymous, project, delivery);
        Assert.True(status == HttpStatusCode.Accepted, $"{status}: {answer}");
        Assert.Equal("true", response.Headers.GetValues("X-Orchest-Redelivery").Single());
        Assert.Equal(("accepted", job), ((string?)answer!["status"], (string?)answer["jobs"]!["created"]!.AsArray().Single()!["job_id"]));
        Assert.Equal(run, (string?)answer["runs"]!.AsArray().Single()!["run_ids"]!.AsArray().Single());
        Assert.Single(await api.JobRunsAsync(job));
    }

    [Fact]
    public async Task Push_WhoseHandlingFailsFiveTimes_IsGivenUp_AndALaterRedeliveryIsHandledAsNew()
    {
        await using var scene = await PushScene.StartAsync(azurite, output, "given-up");
        var delivery = scene.Delivery(GitProvider.GitHub, "given-up");
        using (scene.RepositoryAway())
        {
            var (status, problem, _) = await scene.SendAsync(delivery);
            Assert.True(status == HttpStatusCode.BadGateway, $"{status}: {problem}");

            // The first handling and four takeovers fail; then the housekeeping stops trying and forgets the claim.
            await Wait.UntilAsync(
                () => scene.Host.Output.Contains($"delivery {delivery.DeliveryId} given up after 5 handlings (last handling failed: GitRepositoryException)", StringComparison.Ordinal),
                Timeout, scene.Host.ToString);
            Assert.Contains($"delivery {delivery.DeliveryId} taken over by the housekeeping (attempt 5;", scene.Host.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("(attempt 6;", scene.Host.Output, StringComparison.Ordinal);
            Assert.Empty(await JobsAsync(scene.Api, scene.Project));
            Assert.False(await IsClaimedAsync(scene.Bed, scene.Project));
        }

        // Someone redelivers once the repository is back: a new handling, not a recorded answer.
        var (again, answer, response) = await scene.SendAsync(delivery);
        Assert.True(again == HttpStatusCode.Accepted, $"{again}: {answer}");
        Assert.False(response.Headers.Contains("X-Orchest-Redelivery"));
        var run = (string)answer!["runs"]!.AsArray().Single()!["run_ids"]!.AsArray().Single()!;
        Assert.Equal(scene.Pushed.After, (string?)(await scene.Api.GetRunAsync(run))["commit"]);
    }

    [Fact]
    public async Task Push_ClaimedForAProjectDeletedSince_IsForgottenUnhandled()
    {
        await using var scene = await PushScene.StartAsync(azurite, output, "deleted");
        var delivery = scene.Delivery(GitProvider.Gitea, "deleted");
        await Deliveries(scene.Bed).HoldAsync(scene.Project, delivery);

        var (status, _, _) = await scene.Api.SendAsync(HttpMethod.Delete, $"api/projects/{scene.Project}");
        Assert.Equal(HttpStatusCode.NoContent, status);

        await Wait.UntilAsync(
            () => scene.Host.Output.Contains($"Gitea delivery {delivery.DeliveryId} forgotten unhandled: the project was deleted", StringComparison.Ordinal),
            Timeout, scene.Host.ToString);
        Assert.False(await IsClaimedAsync(scene.Bed, scene.Project));
        Assert.DoesNotContain($"delivery {delivery.DeliveryId} taken over", scene.Host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_OfACommitGoneFromTheRepositoryBeforeItsTakeover_IsGivenBack()
    {
        await using var scene = await PushScene.StartAsync(azurite, output, "gone");
        var gone = new string('d', 40); // a force-push removed it, say: no repository has it
        var delivery = scene.Delivery(GitProvider.GitLab, "gone") with { Before = scene.Pushed.After, After = gone };
        await Deliveries(scene.Bed).HoldAsync(scene.Project, delivery);

        await Wait.UntilAsync(
            () => scene.Host.Output.Contains($"GitLab delivery {delivery.DeliveryId} given up after 2 handlings (the pushed commit is not in the repository)", StringComparison.Ordinal),
            Timeout, scene.Host.ToString);
        Assert.False(await IsClaimedAsync(scene.Bed, scene.Project));
        Assert.Empty(await JobsAsync(scene.Api, scene.Project));
    }

    [Fact]
    public async Task Redelivery_WhileTheFirstIsBeingHandled_Answers202InProgress_AndStartsNothing()
    {
        await using var scene = await PushScene.StartAsync(azurite, output, "in-progress", takeOverAfter: null);
        var delivery = scene.Delivery(GitProvider.GitHub, "busy");
        await Deliveries(scene.Bed).HoldAsync(scene.Project, delivery);

        var (status, answer, response) = await scene.SendAsync(delivery);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(("in_progress", delivery.DeliveryId), ((string?)answer!["status"], (string?)answer["delivery"]));
        Assert.Equal(
            "This delivery is being handled; its answer is recorded when done. A handling that died is taken over 00:02:00 after it began.",
            (string?)answer["reason"]);
        Assert.False(response.Headers.Contains("X-Orchest-Redelivery"));
        Assert.Empty(await JobsAsync(scene.Api, scene.Project));
    }

    [Fact]
    public async Task Push_WhoseHostDiedAfterStartingItsRuns_IsFinishedWithTheSameTickAndRun()
    {
        await using var scene = await PushScene.StartAsync(azurite, output, "died-late");
        var delivery = scene.Delivery(GitProvider.GitHub, "late");
        var (status, first, _) = await scene.SendAsync(delivery);
        Assert.True(status == HttpStatusCode.Accepted, $"{status}: {first}");
        var job = (string)first!["jobs"]!["created"]!.AsArray().Single()!["job_id"]!;
        var run = (string)first["runs"]!.AsArray().Single()!["run_ids"]!.AsArray().Single()!;

        // What a host leaves when it dies after the job's tick and run started, before the answer was recorded:
        // the delivery claimed and unanswered.
        var deliveries = Deliveries(scene.Bed);
        await ForgetAsync(scene.Bed, scene.Project);
        await deliveries.HoldAsync(scene.Project, delivery);

        await Wait.UntilAsync(
            () => scene.Host.Output.Contains($"delivery {delivery.DeliveryId} taken over by the housekeeping (attempt 2; last handling died)", StringComparison.Ordinal),
            Timeout, scene.Host.ToString);
        var (again, answer, response) = await UntilAnsweredAsync(scene.Anonymous, scene.Project, delivery);
        Assert.Equal("true", response.Headers.GetValues("X-Orchest-Redelivery").Single());
        Assert.Equal(HttpStatusCode.Accepted, again);
        Assert.Equal(run, (string?)answer!["runs"]!.AsArray().Single()!["run_ids"]!.AsArray().Single());
        Assert.Equal(run, (string?)Assert.Single(await scene.Api.JobRunsAsync(job))["id"]);
        Assert.Single(JobApi.Ticks(await scene.Api.GetJobAsync(job)));
    }

    [Fact]
    public async Task Push_WhileTheRepositoryIsUnreachable_Answers502_AndTheHousekeepingHandlesItOnceTheRepositoryIsBack()
    {
        await using var scene = await PushScene.StartAsync(azurite, output, "unreachable");
        var delivery = scene.Delivery(GitProvider.GitHub, "failed");
        using (scene.RepositoryAway())
        {
            var (status, problem, _) = await scene.SendAsync(delivery);
            Assert.True(status == HttpStatusCode.BadGateway, $"{status}: {problem}");
            Assert.Contains("The delivery is kept: a redelivery handles it again at once, or the housekeeping after 00:00:03.", (string?)problem!["detail"], StringComparison.Ordinal);
            Assert.Empty(await JobsAsync(scene.Api, scene.Project));
        }

        // Nobody redelivers; the repository is back.
        var (job, run) = await WaitForPushRunAsync(scene.Api, scene.Project, scene.Host.ToString);
        Assert.Equal(scene.Pushed.After, (string?)(await scene.Api.GetRunAsync(run))["commit"]);
        Assert.Contains($"delivery {delivery.DeliveryId} taken over by the housekeeping (attempt 2; last handling failed: GitRepositoryException)", scene.Host.Output, StringComparison.Ordinal);

        var (again, answer, response) = await UntilAnsweredAsync(scene.Anonymous, scene.Project, delivery);
        Assert.True(again == HttpStatusCode.Accepted, $"{again}: {answer}");
        Assert.Equal("true", response.Headers.GetValues("X-Orchest-Redelivery").Single());
        Assert.Equal(run, (string?)answer!["runs"]!.AsArray().Single()!["run_ids"]!.AsArray().Single());
        Assert.Single(await scene.Api.JobRunsAsync(job));
    }

    /// <summary>The change each test pushes (a push-triggered job has no path filter here: any push starts it).</summary>
    private static readonly Dictionary<string, string> Change = new() { ["src/a.txt"] = "a" };

    /// <summary>A host with the tests' webhook secret, a round a second and, unless null, a takeover after <paramref name="takeOverAfter"/>.</summary>
    private static Task<OrchestServeProcess> StartAsync(ServedTestbed bed, string name, string roles, string? takeOverAfter = "00:00:03") => bed.StartHostAsync(
        name, roles,
        [
            "--Orchest:WebhookSecrets:hooks=" + Secret, "--Orchest:Jobs:OrphanCheckInterval=00:00:01",
            .. takeOverAfter is null ? Array.Empty<string>() : ["--Orchest:GitHooks:TakeOverAfter=" + takeOverAfter],
        ]);

    /// <summary>Whether a host has claimed a delivery of the project (its row in the project registry's table).</summary>
    private static async Task<bool> IsClaimedAsync(ServedTestbed bed, string project)
    {
        var table = new TableServiceClient(bed.ConnectionString).GetTableClient(bed.Prefix + "orchestprojects");
        await foreach (var _ in table.QueryAsync<TableEntity>(e => e.PartitionKey == "gitdelivery~" + project))
        {
            return true;
        }

        return false;
    }

    /// <summary>Deletes the project's delivery rows (the answer a handling recorded).</summary>
    private static async Task ForgetAsync(ServedTestbed bed, string project)
    {
        var table = new TableServiceClient(bed.ConnectionString).GetTableClient(bed.Prefix + "orchestprojects");
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == "gitdelivery~" + project))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }
    }

    private static Dictionary<string, string> Files(string name)
    {
        var pipeline = new PipelineBuilder(name).Step("Work", "work.sh", "echo worked\n");
        var files = pipeline.StepFiles.ToDictionary(f => f.Key, f => f.Value);
        files["main.orchest"] = pipeline.ToJson();
        files[".orchest/jobs/every-push.json"] = "{\"on\": {\"push\": {}}}";
        return files;
    }

    /// <summary>The delivery log of the host's storage, as a host writes it.</summary>
    private static GitDeliveryLog Deliveries(ServedTestbed bed) => new(
        new TableProjectRegistry(new TableServiceClient(bed.ConnectionString).GetTableClient(bed.Prefix + "orchestprojects")),
        GitHookOptions.Default, TimeProvider.System);

    /// <summary>Sends the delivery as GitHub does (also what "Redeliver" on GitHub sends again).</summary>
    private static Task<(HttpStatusCode Status, JsonObject? Body, HttpResponseMessage Response)> Send(
        HttpClient anonymous, string project, GitDelivery delivery) =>
        new GitPushSender(anonymous, project).SendAsync("github", GitPushSender.Push(delivery.Ref!, delivery.Before!, delivery.After!), Secret, delivery.DeliveryId);

    /// <summary>Redelivers until the answer is the recorded one (not "in_progress": the housekeeping may still be handling it).</summary>
    private static async Task<(HttpStatusCode Status, JsonObject? Body, HttpResponseMessage Response)> UntilAnsweredAsync(
        HttpClient anonymous, string project, GitDelivery delivery)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var sent = await Send(anonymous, project, delivery);
            if ((string?)sent.Body?["status"] != "in_progress")
            {
                return sent;
            }

            Assert.True(DateTime.UtcNow < deadline, $"delivery {delivery.DeliveryId} still in progress after {Timeout}");
            await Task.Delay(250);
        }
    }

    private static async Task<List<JsonObject>> JobsAsync(ApiClient api, string project)
    {
        var (status, listed, _) = await api.SendAsync(HttpMethod.Get, $"api/projects/{project}/jobs");
        Assert.True(status == HttpStatusCode.OK, $"{status}: {listed}");
        return listed!["jobs"]!.AsArray().Select(j => j!.AsObject()).ToList();
    }

    /// <summary>The job the push declared and the one run it started, once the housekeeping has handled the push.</summary>
    private static async Task<(string Job, string Run)> WaitForPushRunAsync(ApiClient api, string project, Func<string> context)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            if ((await JobsAsync(api, project)).SingleOrDefault() is { } job
                && (await api.JobRunsAsync((string)job["id"]!)).SingleOrDefault() is { } run)
            {
                return ((string)job["id"]!, (string)run["id"]!);
            }

            Assert.True(DateTime.UtcNow < deadline, $"no run of a push-declared job within {Timeout}. {context()}");
            await Task.Delay(250);
        }
    }

    /// <summary>
    /// One host (all roles) and its project, whose repository declares a job started by every push, after one push:
    /// what most of these tests start from. Disposed with its test bed.
    /// </summary>
    private sealed class PushScene : IAsyncDisposable
    {
        private PushScene(ServedTestbed bed, GitPushRepository repository, OrchestServeProcess host, ApiClient api, string project, (string Before, string After) pushed)
        {
            (Bed, Repository, Host, Api, Project, Pushed) = (bed, repository, host, api, project, pushed);
            Anonymous = host.CreateClient();
        }

        public ServedTestbed Bed { get; }

        public GitPushRepository Repository { get; }

        public OrchestServeProcess Host { get; }

        public ApiClient Api { get; }

        public HttpClient Anonymous { get; }

        public string Project { get; }

        public (string Before, string After) Pushed { get; }

        public static async Task<PushScene> StartAsync(AzuriteFixture azurite, ITestOutputHelper output, string name, string? takeOverAfter = "00:00:03")
        {
            var bed = new ServedTestbed(azurite, output);
            var repository = new GitPushRepository(Files(name));
            var host = await GitPushRecoveryTests.StartAsync(bed, "a", "api,worker,timers", takeOverAfter);
            var api = bed.Api(host);
            var project = await api.CreateProjectAsync($"recover-{name}-{bed.Prefix}", repository.Bare, webhookSecret: "hooks");
            return new PushScene(bed, repository, host, api, project, repository.Push(Change, "a push"));
        }

        /// <summary>A delivery of the push, with an id unique to the test.</summary>
        public GitDelivery Delivery(GitProvider provider, string id) =>
            new(provider, $"{id}-{Bed.Prefix}", "push", "refs/heads/main", Pushed.Before, Pushed.After);

        public Task<(HttpStatusCode Status, JsonObject? Body, HttpResponseMessage Response)> SendAsync(GitDelivery delivery) =>
            Send(Anonymous, Project, delivery);

        /// <summary>Moves the repository away until disposed: a fetch from it fails meanwhile.</summary>
        public IDisposable RepositoryAway()
        {
            var away = Repository.Bare + ".away";
            Directory.Move(Repository.Bare, away);
            return new MovedBack(away, Repository.Bare);
        }

        public async ValueTask DisposeAsync()
        {
            Anonymous.Dispose();
            Api.Dispose();
            Repository.Dispose();
            await Bed.DisposeAsync();
        }

        private sealed class MovedBack(string from, string to) : IDisposable
        {
            public void Dispose() => Directory.Move(from, to);
        }
    }
}

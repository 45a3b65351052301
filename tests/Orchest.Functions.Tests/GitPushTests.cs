using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;
using Xunit.Abstractions;

namespace Orchest.Functions.Tests;

/// <summary>
/// Git push triggers on a real host with real <c>git push</c>es to a bare repository: signed deliveries of each
/// provider start the push-triggered jobs declared in the repository at exactly the pushed commit; unsigned,
/// tampered or wrongly signed ones change nothing; redeliveries answer as the first; path filters, ignored pushes,
/// and job files created, changed and deleted across pushes.
/// </summary>
[Collection(ServedCollection.Name)]
public sealed class GitPushTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string Secret = "push-secret-for-tests";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly string BuildJob = new JsonObject
    {
        ["pipeline"] = "main.orchest",
        ["on"] = new JsonObject { ["push"] = new JsonObject { ["paths"] = new JsonArray("src/**", "main.orchest") } },
    }.ToJsonString();

    [Fact]
    public async Task GitHubPush_SignedByTheProjectsSecret_StartsItsJobsAtThePushedCommitOnce()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("pushed").Step("Work", "work.sh", "sleep 2\necho worked\n");
        using var repo = new GitPushRepository(Files(pipeline));
        var host = await bed.StartHostAsync("a", "api,worker,timers", "--Orchest:WebhookSecrets:hooks=" + Secret);
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("push-" + bed.Prefix, repo.Bare, webhookSecret: "hooks");
        using var anonymous = host.CreateClient();
        var hooks = new GitPushSender(anonymous, project);

        // Ping: 200, nothing else.
        var (pingStatus, pong, _) = await hooks.SendAsync("github", "{\"zen\":\"Keep it simple.\",\"hook_id\":1}", Secret, @event: "ping");
        Assert.Equal((HttpStatusCode.OK, "pong"), (pingStatus, (string?)pong!["status"]));

        // First push: declares a valid push job and an invalid one; the valid one applies and starts at the pushed sha.
        var first = repo.Push(new Dictionary<string, string>
        {
            [".orchest/jobs/build.json"] = BuildJob,
            [".orchest/jobs/broken.json"] = "{\"pipeline\": \"main.orchest\", \"cron\": \"not a cron\", \"on\": {\"push\": {}, \"pull\": {}}}",
            ["src/a.txt"] = "a",
        }, "declare jobs");
        var clock = Stopwatch.StartNew();
        var (status, answer, _) = await hooks.SendAsync("github", GitPushSender.Push("refs/heads/main", first.Before, first.After), Secret, "delivery-1");
        Assert.True(status == HttpStatusCode.Accepted, $"{status}: {answer}");
        Assert.Equal(("accepted", first.After), ((string?)answer!["status"], (string?)answer["after"]));
        var build = (string)answer["jobs"]!["created"]!.AsArray().Single(j => (string?)j!["file"] == ".orchest/jobs/build.json")!["job_id"]!;
        var broken = answer["jobs"]!["invalid"]!.AsArray().Single()!;
        Assert.Equal(".orchest/jobs/broken.json", (string?)broken["file"]);
        var brokenProblems = string.Join(" | ", broken["problems"]!.AsArray().Select(p => (string?)p));
        Assert.Contains("\"on.pull\" is not a trigger", brokenProblems, StringComparison.Ordinal);
        Assert.Contains("cron", brokenProblems, StringComparison.OrdinalIgnoreCase);
        var run1 = (string)answer["runs"]!.AsArray().Single()!["run_ids"]!.AsArray().Single()!;

        var running = await api.WaitForRunAsync(run1, r => r["steps"]!.AsArray().Any(s => (string?)s!["status"] != "PENDING"), Timeout, host.ToString);
        var latency = clock.Elapsed;
        Assert.Equal(first.After, (string?)running["commit"]);
        output.WriteLine($"push -> first step running: {latency.TotalMilliseconds:F0} ms (delivery sent to step seen not PENDING)");

        // A second push while the first run is going: its own run, at its own sha.
        var second = repo.Push(new Dictionary<string, string> { ["src/b.txt"] = "b" }, "second");
        var (status2, answer2, _) = await hooks.SendAsync("github", GitPushSender.Push("refs/heads/main", second.Before, second.After), Secret, "delivery-2");
        Assert.Equal(HttpStatusCode.Accepted, status2);
        var run2 = (string)answer2!["runs"]!.AsArray().Single()!["run_ids"]!.AsArray().Single()!;
        Assert.NotEqual(run1, run2);
        Assert.Equal("STARTED", (string?)(await api.GetRunAsync(run1))["status"]);
        Assert.Equal(second.After, (string?)(await api.GetRunAsync(run2))["commit"]);

        // The same delivery again: the first answer, no new run.
        var (again, answerAgain, response) = await hooks.SendAsync("github", GitPushSender.Push("refs/heads/main", second.Before, second.After), Secret, "delivery-2");
        Assert.Equal(HttpStatusCode.Accepted, again);
        Assert.Equal(answer2.ToJsonString(), answerAgain!.ToJsonString());
        Assert.True(response.Headers.Contains("X-Orchest-Redelivery"));

        // A push whose files match no path filter starts nothing, and says why.
        var docs = repo.Push(new Dictionary<string, string> { ["docs/readme.md"] = "docs" }, "docs only");
        var docsBody = GitPushSender.Push("refs/heads/main", docs.Before, docs.After);
        var (status3, answer3, _) = await hooks.SendAsync("github", docsBody, Secret);
        Assert.Equal(HttpStatusCode.Accepted, status3);
        Assert.Empty(answer3!["runs"]!.AsArray());
        Assert.Contains("No file changed by the push matches", (string?)answer3["not_started"]![0]!["reason"], StringComparison.Ordinal);

        // Tampered, wrongly signed or unsigned deliveries: 401, nothing started (a code push that would match).
        var code = repo.Push(new Dictionary<string, string> { ["src/c.txt"] = "c" }, "code");
        var codeBody = GitPushSender.Push("refs/heads/main", code.Before, code.After);
        var tampered = Encoding.UTF8.GetBytes(codeBody.Replace("tests/repo", "tests/evil", StringComparison.Ordinal));
        foreach (var (provider, secret, raw) in new (string, string?, byte[]?)[]
                 {
                     ("github", Secret, tampered), ("github", "wrong", null), ("github", null, null),
                     ("gitea", "wrong", null), ("gitea", Secret, tampered), ("gitlab", "wrong", null), ("gitlab", null, null),
                 })
        {
            var (refused, problem, _) = await hooks.SendAsync(provider, codeBody, secret, rawOverride: raw);
            Assert.True(refused == HttpStatusCode.Unauthorized, $"{provider} {secret}: {refused} {problem}");
            Assert.Contains("is not signed with project", (string?)problem!["detail"], StringComparison.Ordinal);
        }

        // Tags, deletions and other branches are ignored, each saying why.
        var tagSha = repo.PushTag("v1");
        var ignored = new[]
        {
            (GitPushSender.Push("refs/tags/v1", GitPushSender.Zeros, tagSha), "tag pushes start nothing"),
            (GitPushSender.Push("refs/heads/main", code.After, GitPushSender.Zeros), "a deletion starts nothing"),
            (GitPushSender.Push("refs/heads/feature", GitPushSender.Zeros, code.After), "Branch feature is not followed"),
        };
        foreach (var (body, why) in ignored)
        {
            var (ignoredStatus, ignoredAnswer, _) = await hooks.SendAsync("github", body, Secret);
            Assert.Equal((HttpStatusCode.Accepted, "ignored"), (ignoredStatus, (string?)ignoredAnswer!["status"]));
            Assert.Contains(why, (string?)ignoredAnswer["reason"], StringComparison.Ordinal);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        var runs = await api.JobRunsAsync(build);
        Assert.Equal([run2, run1], runs.Select(r => (string)r["id"]!).ToList());

        // The invalid file is a project event, at every push that still has it.
        var (_, events, _) = await api.SendAsync(HttpMethod.Get, $"api/projects/{project}/events");
        var invalids = events!["events"]!.AsArray().Where(e => (string?)e!["type"] == "project:git:job-file:invalid").ToList();
        Assert.Equal([first.After, second.After, docs.After], invalids.Select(e => (string?)e!["commit"]).ToList());
        var invalid = invalids[0]!;
        Assert.StartsWith(".orchest/jobs/broken.json", (string?)invalid["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobFiles_AddedChangedDeletedAcrossGiteaGitLabGitHubPushes_FollowInTheJobList()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("declared").Shell("Quick");
        using var repo = new GitPushRepository(Files(pipeline));
        var host = await bed.StartHostAsync("a", "api,worker", "--Orchest:WebhookSecrets:hooks=" + Secret);
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("declared-" + bed.Prefix, repo.Bare, webhookSecret: "hooks");
        using var anonymous = host.CreateClient();
        var hooks = new GitPushSender(anonymous, project);
        const string file = ".orchest/jobs/nightly.json";

        // Gitea: the job file appears (a cron job, and a push job with no filters that runs at once).
        var add = repo.Push(new Dictionary<string, string>
        {
            [file] = "{\"name\": \"nightly\", \"pipeline\": \"main.orchest\", \"cron\": \"0 0 * * *\"}",
            [".orchest/jobs/every-push.json"] = "{\"on\": {\"push\": {}}}",
        }, "add jobs");
        var (s1, a1, _) = await hooks.SendAsync("gitea", GitPushSender.Push("refs/heads/main", add.Before, add.After), Secret);
        Assert.True(s1 == HttpStatusCode.Accepted, $"{s1}: {a1}");
        Assert.Equal(2, a1!["jobs"]!["created"]!.AsArray().Count);
        var pushRun = (string)a1["runs"]!.AsArray().Single()!["run_ids"]!.AsArray().Single()!;
        Assert.Equal(add.After, (string?)(await api.WaitForEndAsync(pushRun, Timeout, host.ToString))["commit"]);
        var nightly = Declared(await ListJobsAsync(api, project), file);
        Assert.Equal(("0 0 * * *", add.After, 1L), ((string?)nightly["cron"], (string?)nightly["declared"]!["commit"], (long)nightly["revision"]!));

        // GitLab: the file changes; the same job follows it.
        var change = repo.Push(new Dictionary<string, string> { [file] = "{\"name\": \"nightly\", \"pipeline\": \"main.orchest\", \"cron\": \"0 1 * * *\"}" }, "change");
        var (s2, a2, _) = await hooks.SendAsync("gitlab", GitPushSender.Push("refs/heads/main", change.Before, change.After), Secret);
        Assert.True(s2 == HttpStatusCode.Accepted, $"{s2}: {a2}");
        Assert.Equal((string?)nightly["id"], (string?)a2!["jobs"]!["updated"]!.AsArray().Single()!["job_id"]);
        var changed = Declared(await ListJobsAsync(api, project), file);
        Assert.Equal(((string?)nightly["id"], "0 1 * * *", change.After, 2L),
            ((string?)changed["id"], (string?)changed["cron"], (string?)changed["declared"]!["commit"], (long)changed["revision"]!));

        // The first push delivered again late (a new delivery id, e.g. re-sent by hand): its run is at its own
        // commit, but the older job file does not come back; the answer says at which commit files were read.
        var (late, lateAnswer, _) = await hooks.SendAsync("github", GitPushSender.Push("refs/heads/main", add.Before, add.After), Secret, "late-delivery-of-add");
        Assert.True(late == HttpStatusCode.Accepted, $"{late}: {lateAnswer}");
        Assert.Equal(change.After, (string?)lateAnswer!["jobs"]!["commit"]);
        Assert.Contains($"not at the pushed commit {add.After}", (string?)lateAnswer["jobs"]!["note"], StringComparison.Ordinal);
        Assert.Empty(lateAnswer["jobs"]!["updated"]!.AsArray());
        var lateRun = (string)lateAnswer["runs"]!.AsArray().Single()!["run_ids"]!.AsArray().Single()!;
        Assert.Equal(add.After, (string?)(await api.GetRunAsync(lateRun))["commit"]);
        var unchanged = Declared(await ListJobsAsync(api, project), file);
        Assert.Equal(("0 1 * * *", change.After, 2L), ((string?)unchanged["cron"], (string?)unchanged["declared"]!["commit"], (long)unchanged["revision"]!));
        Assert.Null(a2["jobs"]!["note"]);

        // GitHub: the file is deleted; the job leaves the list (and ends).
        var delete = repo.PushChanges(new Dictionary<string, string?> { [file] = null }, "delete");
        var (s3, a3, _) = await hooks.SendAsync("github", GitPushSender.Push("refs/heads/main", delete.Before, delete.After), Secret);
        Assert.True(s3 == HttpStatusCode.Accepted, $"{s3}: {a3}");
        Assert.Equal((string?)nightly["id"], (string?)a3!["jobs"]!["removed"]!.AsArray().Single()!["job_id"]);
        var left = await ListJobsAsync(api, project);
        Assert.DoesNotContain(left, j => (string?)j["declared"]?["file"] == file);
        Assert.Single(left);
        await api.WaitForJobAsync((string)nightly["id"]!, j => (string?)j["status"] == "ABORTED", Timeout, host.ToString);

        // A push-only job has no schedule to stop: cancelling it ends it at once.
        var everyPush = Declared(left, ".orchest/jobs/every-push.json");
        var (cancelStatus, cancelled, _) = await api.SendAsync(HttpMethod.Delete, $"api/jobs/{(string)everyPush["id"]!}");
        Assert.Equal((HttpStatusCode.OK, "ABORTED"), (cancelStatus, (string?)cancelled!["status"]));
    }

    /// <summary>
    /// A declared job with a schedule and a push trigger: its orchestration ticks, and each push starts a tick of its
    /// own beside it. The job's counters hold both kinds, whichever writes last (the orchestration never sees the
    /// pushes' ticks; before, its next write dropped their runs from the counts).
    /// </summary>
    [Fact]
    public async Task CronAndPushJob_CountsTheTicksAndRunsOfItsScheduleAndItsPushes()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("both").Step("Work", "work.sh", "echo worked\n");
        using var repo = new GitPushRepository(Files(pipeline));
        var host = await bed.StartHostAsync("a", "api,worker,timers", "--Orchest:WebhookSecrets:hooks=" + Secret, "--Orchest:Jobs:HistoryShown=1000");
        using var api = bed.Api(host);
        var project = await api.CreateProjectAsync("both-" + bed.Prefix, repo.Bare, webhookSecret: "hooks");
        using var anonymous = host.CreateClient();
        var hooks = new GitPushSender(anonymous, project);

        var file = ".orchest/jobs/both.json";
        var declare = repo.Push(new Dictionary<string, string> { [file] = "{\"pipeline\": \"main.orchest\", \"cron\": \"*/2 * * * * *\", \"on\": {\"push\": {}}}" }, "declare");
        var (status, answer, _) = await hooks.SendAsync("github", GitPushSender.Push("refs/heads/main", declare.Before, declare.After), Secret);
        Assert.True(status == HttpStatusCode.Accepted, $"{status}: {answer}");
        var job = (string)answer!["jobs"]!["created"]!.AsArray().Single()!["job_id"]!;
        var pushRuns = answer["runs"]!.AsArray().Select(r => (string)r!["run_ids"]!.AsArray().Single()!).ToList();

        // Pushes between the schedule's ticks, then ticks after the last push.
        for (var push = 1; push <= 3; push++)
        {
            await api.WaitForJobAsync(job, j => JobApi.Ticks(j).Count(t => (string?)t["kind"] == "scheduled") >= push, Timeout, host.ToString);
            var next = repo.Push(new Dictionary<string, string> { ["src/" + push + ".txt"] = "x" }, "push " + push);
            var (pushed, pushAnswer, _) = await hooks.SendAsync("github", GitPushSender.Push("refs/heads/main", next.Before, next.After), Secret);
            Assert.True(pushed == HttpStatusCode.Accepted, $"{pushed}: {pushAnswer}");
            pushRuns.Add((string)pushAnswer!["runs"]!.AsArray().Single()!["run_ids"]!.AsArray().Single()!);
        }

        await api.WaitForJobAsync(job, j => JobApi.Ticks(j).Count(t => (string?)t["kind"] == "scheduled") >= 6, Timeout, host.ToString);
        await api.CommandAsync(job, "pause");
        var paused = await api.WaitForJobAsync(job, j => (string?)j["status"] == "PAUSED", Timeout, host.ToString);
        await Task.Delay(TimeSpan.FromSeconds(2));

        var read = await api.GetJobAsync(job);
        var history = read["history"]!.AsArray().Select(t => t!.AsObject()).ToList();
        var listed = await api.JobRunsAsync(job);
        Assert.Equal(4, history.Count(t => (string?)t["kind"] == "push"));
        Assert.Subset(listed.Select(r => (string)r["id"]!).ToHashSet(), pushRuns.ToHashSet());
        Assert.Equal(
            ((long)listed.Count, history.Max(t => (long)t["sequence"]!), (long)listed.Count),
            ((long)read["runs"]!, (long)read["ticks"]!, history.Sum(t => (long)t["run_ids"]!.AsArray().Count)));
        Assert.Equal(((long)paused["runs"]!, (long)paused["ticks"]!), ((long)read["runs"]!, (long)read["ticks"]!));
    }

    [Fact]
    public async Task BadDeliveries_AnswerProblemsAndStartNothing()
    {
        await using var bed = new ServedTestbed(azurite, output);
        var pipeline = new PipelineBuilder("bad").Shell("Quick");
        using var repo = new GitPushRepository(Files(pipeline, new Dictionary<string, string> { [".orchest/jobs/all.json"] = "{\"on\": {\"push\": {}}}" }));
        var host = await bed.StartHostAsync("a", "api", "--Orchest:WebhookSecrets:hooks=" + Secret, "--Orchest:MaxRequestBodyBytes=4096");
        using var api = bed.Api(host);

        // A project's webhook secret is a name, never the secret.
        var (badProject, problem, _) = await api.SendAsync(HttpMethod.Post, "api/projects",
            new JsonObject { ["name"] = "bad-" + bed.Prefix, ["repository"] = repo.Bare, ["webhook_secret"] = "sha256: not a name" });
        Assert.Equal(HttpStatusCode.BadRequest, badProject);
        Assert.Contains("\"webhook_secret\" must name a secret configured under Orchest:WebhookSecrets:<name>", (string?)problem!["detail"], StringComparison.Ordinal);

        var project = await api.CreateProjectAsync("bad-" + bed.Prefix, repo.Bare, webhookSecret: "hooks");
        var unconfigured = await api.CreateProjectAsync("unconfigured-" + bed.Prefix, repo.Bare, webhookSecret: "missing");
        using var anonymous = host.CreateClient();
        var hooks = new GitPushSender(anonymous, project);
        var head = repo.Head("main");

        // No secret configured under the project's name: 401, saying where to configure it.
        var (noSecret, noSecretProblem, _) = await new GitPushSender(anonymous, unconfigured).SendAsync("github", GitPushSender.Push("refs/heads/main", GitPushSender.Zeros, head), Secret);
        Assert.Equal(HttpStatusCode.Unauthorized, noSecret);
        Assert.Contains("no secret configured under Orchest:WebhookSecrets:missing", (string?)noSecretProblem!["detail"], StringComparison.Ordinal);

        // Signed, but not a delivery this host can read: 400 naming what is wrong, nothing claimed.
        var notJson = await hooks.SendAsync("github", "not json", Secret);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.Status);
        Assert.Contains("The body must be a JSON object", (string?)notJson.Body!["detail"], StringComparison.Ordinal);
        var shortSha = await hooks.SendAsync("gitlab", GitPushSender.Push("refs/heads/main", "abc", head), Secret);
        Assert.Contains("\"before\" \"abc\" must be a full 40-digit commit sha.", (string?)shortSha.Body!["detail"], StringComparison.Ordinal);
        var unknownCommit = await hooks.SendAsync("gitea", GitPushSender.Push("refs/heads/main", head, new string('1', 40)), Secret, "unknown-commit");
        Assert.Equal(HttpStatusCode.BadRequest, unknownCommit.Status);
        Assert.Contains("has no commit 1111111111111111111111111111111111111111", (string?)unknownCommit.Body!["detail"], StringComparison.Ordinal);

        using var noDelivery = new HttpRequestMessage(HttpMethod.Post, $"api/projects/{project}/hooks/git") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        noDelivery.Headers.Add("X-GitHub-Event", "push");
        noDelivery.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), "{}"u8)));
        var missingId = await anonymous.SendAsync(noDelivery);
        Assert.Equal(HttpStatusCode.BadRequest, missingId.StatusCode);
        Assert.Contains("The X-GitHub-Delivery header must carry the delivery id", await missingId.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Too large: 413 before anything is read.
        var (tooLarge, tooLargeBody, _) = await hooks.SendAsync("github", "{\"pad\":\"" + new string('x', 5000) + "\"}", Secret);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge);
        Assert.Contains("larger than the limit of 4096 bytes", (string?)tooLargeBody!["detail"], StringComparison.Ordinal);

        // Unknown project: 404.
        var (unknown, _, _) = await new GitPushSender(anonymous, Guid.NewGuid().ToString()).SendAsync("github", "{}", Secret);
        Assert.Equal(HttpStatusCode.NotFound, unknown);

        // None of it declared or started anything.
        Assert.Empty(await ListJobsAsync(api, project));
    }

    private static Dictionary<string, string> Files(PipelineBuilder pipeline, IReadOnlyDictionary<string, string>? more = null)
    {
        var files = pipeline.StepFiles.ToDictionary(f => f.Key, f => f.Value);
        files["main.orchest"] = pipeline.ToJson();
        foreach (var (path, content) in more ?? new Dictionary<string, string>())
        {
            files[path] = content;
        }

        return files;
    }

    private static async Task<List<JsonObject>> ListJobsAsync(ApiClient api, string project)
    {
        var (status, body, _) = await api.SendAsync(HttpMethod.Get, $"api/projects/{project}/jobs");
        Assert.Equal(HttpStatusCode.OK, status);
        return body!["jobs"]!.AsArray().Select(j => j!.AsObject()).ToList();
    }

    private static JsonObject Declared(List<JsonObject> jobs, string file) => jobs.Single(j => (string?)j["declared"]?["file"] == file);
}

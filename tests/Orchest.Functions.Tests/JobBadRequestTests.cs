using System.Net;
using System.Text.Json.Nodes;
using Orchest.Functions.Tests.Support;
using Orchest.Testing;

namespace Orchest.Functions.Tests;

/// <summary>
/// Every bad job request is a 400 naming each problem (problem details with <c>errors</c>), and stores
/// nothing; commands a job's status does not allow are 409 with why. In-process host, api role only.
/// </summary>
[Collection(ServedCollection.Name)]
public sealed class JobBadRequestTests(AzuriteFixture azurite, ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    public static TheoryData<string, string> BadJobs => new()
    {
        { """{"pipeline": "good.orchest", "cron": "*/2 * * *"}""", "\"cron\" \"*/2 * * *\" is not a valid cron expression: it has 4 fields; use 5 (minute hour day-of-month month day-of-week) or 6 (seconds first), or a macro such as @hourly." },
        { """{"pipeline": "good.orchest", "cron": "0 25 * * *"}""", "\"cron\" \"0 25 * * *\" is not a valid cron expression: " },
        { """{"pipeline": "good.orchest", "cron": "0 0 30 2 *"}""", "\"cron\" \"0 0 30 2 *\" never fires." },
        { """{"pipeline": "good.orchest", "cron": "0 9 * * *", "time_zone": "Europe/Atlantis"}""", "\"time_zone\" \"Europe/Atlantis\" is not a known time zone (use an IANA name such as \"Europe/Berlin\" or \"UTC\")." },
        { """{"pipeline": "good.orchest", "cron": "0 9 * * *", "start_at": "2030-01-01T09:00:00Z"}""", "Give either \"cron\" (a recurring job) or \"start_at\" (a one-off job), not both." },
        { """{"pipeline": "good.orchest", "start_at": "tomorrow"}""", "\"start_at\" \"tomorrow\" must be an ISO 8601 time with an offset, e.g. \"2026-12-24T18:00:00Z\"." },
        { """{"pipeline": "good.orchest", "parameters": []}""", "\"parameters\" must be a non-empty list of parameter sets (one run each), like [{\"pipeline_parameters\": {...}}]." },
        { """{"pipeline": "good.orchest", "grid": {"pipeline_parameters": {"x": []}}}""", "\"grid\".pipeline_parameters.x must be a non-empty list of values." },
        { """{"pipeline": "good.orchest", "parameters": [{}], "grid": {"A": {"x": [1]}}}""", "Give either \"parameters\" or \"grid\", not both." },
        { """{"pipeline": "nope.orchest"}""", "Pipeline file \"nope.orchest\" does not exist at that commit (or lies outside the project)." },
        { """{"pipeline": "good.orchest", "ref": "no-such-branch"}""", "\"ref\": " },
        { """{"pipeline": "good.orchest", "parameters": [{"Nobody": {"x": 1}}]}""", "The parameters name step \"Nobody\", which good.orchest does not have." },
        { """{"pipeline": "good.orchest", "grid": {"Nobody": {"x": [1, 2]}}}""", "The parameters name step \"Nobody\", which good.orchest does not have." },
        { """{"pipeline": "good.orchest", "catch_up": "sometimes"}""", "\"catch_up\" \"sometimes\" is not one of latest, none, all." },
        { """{"pipeline": "good.orchest", "max_retained_pipeline_runs": -2}""", "\"max_retained_pipeline_runs\" must be -1 (keep every run) or more." },
        { """{"pipeline": "good.orchest", "env": {"NOT OK": "x"}}""", "\"env\" name \"NOT OK\" must be letters, digits, '-' and '_'." },
        { """{"pipeline": "good.orchest", "schedule": "* * * * *"}""", "\"schedule\" is not a job field (fields: " },
        { """{"pipeline": "good.orchest", "cron": 5}""", "\"cron\" must be a string." },
        { """{"pipeline": "service.orchest", "cron": "0 9 * * *"}""", "service.orchest: the pipeline declares service \"redis\", but the process runner cannot start services; set Orchest:Runner=docker on the served hosts" },
    };

    [Theory]
    [MemberData(nameof(BadJobs))]
    public async Task Create_Invalid_Returns400NamingTheProblem_StoresNothing(string body, string problem)
    {
        using var api = await host.ClientAsync(azurite);
        var before = await host.Storage.StateAsync();

        var answer = await Problems.AssertAsync(api, HttpMethod.Post, $"api/projects/{host.ProjectId}/jobs", JsonNode.Parse(body), HttpStatusCode.BadRequest, null);

        var errors = answer["errors"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Contains(errors, e => e.StartsWith(problem, StringComparison.Ordinal));
        Assert.StartsWith("The job is not valid: ", (string)answer["detail"]!, StringComparison.Ordinal);
        Assert.Equal(before, await host.Storage.StateAsync());
    }

    [Fact]
    public async Task Create_ManyProblems_NamesEveryOneAtOnce()
    {
        using var api = await host.ClientAsync(azurite);
        var body = JsonNode.Parse("""
            {"pipeline": "good.orchest", "cron": "nope", "time_zone": "Nowhere/Else", "start_at": "2030-01-01T09:00:00Z",
             "parameters": [{"Nobody": {}}, 3], "max_retained_pipeline_runs": -5}
            """);

        var answer = await Problems.AssertAsync(api, HttpMethod.Post, $"api/projects/{host.ProjectId}/jobs", body, HttpStatusCode.BadRequest, null);

        var errors = answer["errors"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Equal(5, errors.Count);
        Assert.Contains("\"time_zone\" \"Nowhere/Else\" is not a known time zone (use an IANA name such as \"Europe/Berlin\" or \"UTC\").", errors);
        Assert.Contains("Give either \"cron\" (a recurring job) or \"start_at\" (a one-off job), not both.", errors);
        Assert.Contains(errors, e => e.StartsWith("\"cron\" \"nope\" is not a valid cron expression", StringComparison.Ordinal));
        Assert.Contains("\"parameters\"[1] must be an object like {\"pipeline_parameters\": {...}, \"<step uuid or title>\": {...}}.", errors);
        Assert.Contains("\"max_retained_pipeline_runs\" must be -1 (keep every run) or more.", errors);
    }

    [Fact]
    public async Task Create_BrokenPipeline_ListsItsProblems()
    {
        using var api = await host.ClientAsync(azurite);

        var answer = await Problems.AssertAsync(api, HttpMethod.Post, $"api/projects/{host.ProjectId}/jobs",
            new JsonObject { ["pipeline"] = "broken.orchest" }, HttpStatusCode.BadRequest, null);

        var errors = answer["errors"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Contains(errors, e => e.Contains("cycle", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(errors, e => e.Contains("missing.py", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_UnknownProjectOrBody_Are404And400()
    {
        using var api = await host.ClientAsync(azurite);

        await Problems.AssertAsync(api, HttpMethod.Post, "api/projects/no-such-project/jobs", new JsonObject(), HttpStatusCode.NotFound,
            "Project \"no-such-project\" does not exist.");
        await Problems.AssertAsync(api, HttpMethod.Get, "api/jobs/not-a-job", null, HttpStatusCode.NotFound, "Job \"not-a-job\" does not exist.");
        await Problems.AssertAsync(api, HttpMethod.Post, $"api/jobs/{Guid.NewGuid()}/pause", null, HttpStatusCode.NotFound, null);
        await Problems.AssertAsync(api, HttpMethod.Get, $"api/jobs/{Guid.NewGuid()}/runs?page_size=0", null, HttpStatusCode.BadRequest,
            "The query is not valid: \"page_size\" must be between 1 and 200.");
    }

    [Fact]
    public async Task Draft_CommandsItsStatusForbids_Are409_CancelEndsIt()
    {
        using var api = await host.ClientAsync(azurite);
        var draft = await api.CreateJobAsync(host.ProjectId, JsonNode.Parse("""{"pipeline": "good.orchest", "cron": "0 9 * * *", "draft": true}""")!.AsObject());
        var id = (string)draft["id"]!;
        Assert.Equal(("DRAFT", "good.orchest job", (string?)null), ((string?)draft["status"], (string?)draft["name"], (string?)draft["next_scheduled_time"]));

        await Problems.AssertAsync(api, HttpMethod.Post, $"api/jobs/{id}/pause", null, HttpStatusCode.Conflict,
            $"Only a STARTED cron job can be paused; job {id} is a cron job in DRAFT.");
        await Problems.AssertAsync(api, HttpMethod.Post, $"api/jobs/{id}/resume", null, HttpStatusCode.Conflict,
            $"Only a PAUSED job can be resumed; job {id} is a cron job in DRAFT.");
        await Problems.AssertAsync(api, HttpMethod.Post, $"api/jobs/{id}/trigger", null, HttpStatusCode.Conflict,
            $"A job can be triggered when it is a STARTED or PAUSED cron job or a PENDING one-off job; job {id} is a cron job in DRAFT.");
        var patched = await api.SendAsync(HttpMethod.Patch, $"api/jobs/{id}", JsonNode.Parse("""{"name": "renamed", "cron": "*/5 * * * *"}"""));
        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal(("renamed", "*/5 * * * *", 2L), ((string?)patched.Body!["name"], (string?)patched.Body["cron"], (long)patched.Body["revision"]!));
        await Problems.AssertAsync(api, HttpMethod.Patch, $"api/jobs/{id}", JsonNode.Parse("""{"cron": "bad"}"""), HttpStatusCode.BadRequest, null);

        var cancelled = await api.CommandAsync(id, "cancel");
        Assert.Equal("ABORTED", (string?)cancelled["status"]);
        await Problems.AssertAsync(api, HttpMethod.Delete, $"api/jobs/{id}", null, HttpStatusCode.Conflict, $"Job {id} already ended (ABORTED).");
        await Problems.AssertAsync(api, HttpMethod.Patch, $"api/jobs/{id}", new JsonObject { ["name"] = "again" }, HttpStatusCode.Conflict,
            $"Job {id} already ended (ABORTED); an ended job cannot change.");
        var listed = await api.SendAsync(HttpMethod.Get, $"api/projects/{host.ProjectId}/jobs");
        Assert.Contains(listed.Body!["jobs"]!.AsArray(), j => (string?)j!["id"] == id && (string?)j["status"] == "ABORTED");
    }
}

using System.Net;
using System.Text.Json.Nodes;

namespace Orchest.Functions.Tests.Support;

/// <summary>The jobs API as a user's script calls it (over <see cref="ApiClient"/>): every status checked.</summary>
internal static class JobApi
{
    /// <summary>POST /api/projects/{project}/jobs; asserts 201 with a Location and returns the job.</summary>
    public static async Task<JsonObject> CreateJobAsync(this ApiClient api, string project, JsonObject body)
    {
        var (status, json, response) = await api.SendAsync(HttpMethod.Post, $"api/projects/{project}/jobs", body);
        Assert.True(status == HttpStatusCode.Created, $"POST jobs answered {(int)status}: {json}");
        Assert.Equal($"/api/jobs/{(string)json!["id"]!}", response.Headers.Location?.OriginalString);
        return json.AsObject();
    }

    public static async Task<JsonObject> GetJobAsync(this ApiClient api, string job)
    {
        var (status, json, _) = await api.SendAsync(HttpMethod.Get, $"api/jobs/{job}");
        Assert.True(status == HttpStatusCode.OK, $"GET /api/jobs/{job} answered {(int)status}: {json}");
        return json!.AsObject();
    }

    /// <summary>POST /api/jobs/{job}/{command} (or DELETE for "cancel"); asserts 200 or 202 and returns the body.</summary>
    public static async Task<JsonObject> CommandAsync(this ApiClient api, string job, string command)
    {
        var (status, json, _) = command == "cancel"
            ? await api.SendAsync(HttpMethod.Delete, $"api/jobs/{job}")
            : await api.SendAsync(HttpMethod.Post, $"api/jobs/{job}/{command}");
        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Accepted, $"{command} of job {job} answered {(int)status}: {json}");
        return json!.AsObject();
    }

    /// <summary>Every run of the job (all pages), newest first.</summary>
    public static async Task<List<JsonObject>> JobRunsAsync(this ApiClient api, string job, string? status = null)
    {
        var runs = new List<JsonObject>();
        string? token = null;
        do
        {
            var query = $"api/jobs/{job}/runs?page_size=7" + (status is null ? "" : $"&status={status}") + (token is null ? "" : $"&continuation_token={token}");
            var (code, json, _) = await api.SendAsync(HttpMethod.Get, query);
            Assert.True(code == HttpStatusCode.OK, $"GET {query} answered {(int)code}: {json}");
            runs.AddRange(json!["runs"]!.AsArray().Select(r => r!.AsObject()));
            token = (string?)json["continuation_token"];
        }
        while (token is not null);

        return runs;
    }

    /// <summary>Polls GET /api/jobs/{job} until <paramref name="until"/> holds; fails with the last state seen.</summary>
    public static async Task<JsonObject> WaitForJobAsync(this ApiClient api, string job, Func<JsonObject, bool> until, TimeSpan timeout, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = await api.GetJobAsync(job);
            if (until(found))
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Job {job} did not reach the expected state within {timeout.TotalSeconds} s: {found.ToJsonString()}\n{context?.Invoke()}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Waits until a run the API announced (a trigger's) exists, then until it ends.</summary>
    public static async Task<JsonObject> WaitForAnnouncedRunAsync(this ApiClient api, string runId, TimeSpan timeout, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while ((await api.SendAsync(HttpMethod.Get, $"api/runs/{runId}")).Status == HttpStatusCode.NotFound)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Run {runId} was not created within {timeout.TotalSeconds} s.\n{context?.Invoke()}");
            }

            await Task.Delay(200);
        }

        return await api.WaitForEndAsync(runId, timeout, context);
    }

    /// <summary>The job's history entries that started runs, oldest first.</summary>
    public static List<JsonObject> Ticks(JsonObject job) =>
        job["history"]!.AsArray().Select(t => t!.AsObject()).Where(t => t["run_ids"]!.AsArray().Count > 0).Reverse().ToList();
}

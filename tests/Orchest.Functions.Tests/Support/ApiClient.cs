using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Orchest.Functions.Tests.Support;

/// <summary>The HTTP API as a user's script calls it: JSON in, JSON out, every status checked.</summary>
internal sealed class ApiClient(HttpClient http) : IDisposable
{
    private static readonly string[] Terminal = ["SUCCESS", "FAILURE", "ABORTED"];

    public HttpClient Http => http;

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>POST /api/projects (with the name of its webhook secret, if given); asserts 201 and returns the project's id.</summary>
    public async Task<string> CreateProjectAsync(string name, string repository, string branch = "main", string? webhookSecret = null)
    {
        var request = new JsonObject { ["name"] = name, ["repository"] = repository, ["branch"] = branch };
        if (webhookSecret is not null)
        {
            request["webhook_secret"] = webhookSecret;
        }

        var (status, body, _) = await SendAsync(HttpMethod.Post, "api/projects", request);
        Assert.True(status == HttpStatusCode.Created, $"POST /api/projects answered {(int)status}: {body}");
        Assert.Equal(webhookSecret, (string?)body!["webhook_secret"]);
        return (string)body["id"]!;
    }

    /// <summary>POST /api/projects/{project}/runs; asserts 202 with a Location and returns the run and its id.</summary>
    public async Task<JsonObject> CreateRunAsync(string projectId, JsonObject request)
    {
        var (status, body, response) = await SendAsync(HttpMethod.Post, $"api/projects/{projectId}/runs", request);
        Assert.True(status == HttpStatusCode.Accepted, $"POST runs answered {(int)status}: {body}");
        Assert.Equal($"/api/runs/{(string)body!["id"]!}", response.Headers.Location?.OriginalString);
        return body.AsObject();
    }

    public async Task<JsonObject> GetRunAsync(string runId)
    {
        var (status, body, _) = await SendAsync(HttpMethod.Get, $"api/runs/{runId}");
        Assert.True(status == HttpStatusCode.OK, $"GET /api/runs/{runId} answered {(int)status}: {body}");
        return body!.AsObject();
    }

    /// <summary>Polls GET /api/runs/{run} until <paramref name="until"/> holds; fails with the last state seen.</summary>
    public async Task<JsonObject> WaitForRunAsync(string runId, Func<JsonObject, bool> until, TimeSpan timeout, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            JsonObject run;
            try
            {
                run = await GetRunAsync(runId);
            }
            catch (HttpRequestException ex)
            {
                Assert.Fail($"GET /api/runs/{runId} failed at {DateTime.Now:HH:mm:ss.fff}: {ex.Message}\n{context?.Invoke()}");
                throw;
            }

            if (until(run))
            {
                return run;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Run {runId} did not reach the expected state within {timeout.TotalSeconds} s: {run.ToJsonString()}\n{context?.Invoke()}");
            }

            await Task.Delay(200);
        }
    }

    public Task<JsonObject> WaitForEndAsync(string runId, TimeSpan timeout, Func<string>? context = null) =>
        WaitForRunAsync(runId, r => IsTerminal((string?)r["status"]), timeout, context);

    public static bool IsTerminal(string? status) => Terminal.Contains(status);

    public static JsonObject Step(JsonObject run, string title) =>
        run["steps"]!.AsArray().Single(s => (string?)s!["title"] == title)!.AsObject();

    /// <summary>Any request; returns the status, the parsed JSON body (null when empty or not JSON) and the response.</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(
        HttpMethod method, string path, JsonNode? body = null, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content ?? (body is null ? null : Json(body)) };
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? parsed = null;
        if (text.Length > 0 && (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) ?? false))
        {
            parsed = JsonNode.Parse(text);
        }

        return (response.StatusCode, parsed, response);
    }

    public async Task<(HttpStatusCode Status, string? ContentType, byte[] Content)> GetBytesAsync(string path)
    {
        using var response = await http.GetAsync(path);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsByteArrayAsync());
    }

    public void Dispose() => http.Dispose();
}

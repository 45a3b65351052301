using System.Net;
using System.Text.Json.Nodes;

namespace Orchest.Functions.Tests.Support;

/// <summary>Assertions on API answers shared by the bad-request tests.</summary>
internal static class ApiAssert
{
    /// <summary>Asserts a problem response: status, <c>detail</c> (when given), the problem content type; returns the problem.</summary>
    public static async Task<JsonObject> AssertProblemAsync(
        ApiClient api, HttpMethod method, string path, JsonNode? body, HttpStatusCode expected, string? detail, HttpContent? content = null)
    {
        var (status, problem, response) = await api.SendAsync(method, path, body, content);
        Assert.True(status == expected, $"{method} {path}: expected {(int)expected}, got {(int)status}: {problem?.ToJsonString()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, (int)problem!["status"]!);
        if (detail is not null)
        {
            Assert.Equal(detail, (string?)problem["detail"]);
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]), $"{method} {path}: no detail");
        }

        return problem.AsObject();
    }

    /// <summary>What a test's storage holds: every table row and blob (names and versions), to prove a request wrote nothing.</summary>
    public static async Task<string> StorageStateAsync(StorageInspector storage)
    {
        var rows = (await storage.AllEntitiesAsync()).Select(e => $"{e.Table}/{e.Entity.PartitionKey}/{e.Entity.RowKey}/{e.Entity.ETag}");
        var blobs = (await storage.AllBlobsAsync()).Select(b => $"{b.Container}/{b.Name}/{b.Content.Length}");
        return string.Join("\n", rows.Concat(blobs).Order(StringComparer.Ordinal));
    }
}

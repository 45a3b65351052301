using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Orchest.Functions.Tests.Support;

/// <summary>Sends push and ping deliveries the way GitHub, Gitea and GitLab do (their headers, signatures and payload fields).</summary>
internal sealed class GitPushSender(HttpClient http, string project)
{
    public const string Zeros = "0000000000000000000000000000000000000000";

    public static string Push(string reference, string before, string after) =>
        new JsonObject { ["ref"] = reference, ["before"] = before, ["after"] = after, ["repository"] = new JsonObject { ["full_name"] = "tests/repo" } }.ToJsonString();

    /// <summary>Sends <paramref name="body"/> as <paramref name="provider"/> ("github", "gitea", "gitlab") signed with <paramref name="secret"/> (null: unsigned).</summary>
    public async Task<(HttpStatusCode Status, JsonObject? Body, HttpResponseMessage Response)> SendAsync(
        string provider, string body, string? secret, string? delivery = null, string @event = "push", byte[]? rawOverride = null)
    {
        var raw = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/projects/{project}/hooks/git")
        {
            Content = new ByteArrayContent(rawOverride ?? raw),
        };
        request.Content.Headers.ContentType = new("application/json");
        delivery ??= Guid.NewGuid().ToString();
        var signature = secret is null ? null : Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), raw));
        switch (provider)
        {
            case "gitea":
                request.Headers.Add("X-Gitea-Event", @event);
                request.Headers.Add("X-Gitea-Delivery", delivery);
                if (signature is not null)
                {
                    request.Headers.Add("X-Gitea-Signature", signature);
                }

                break;
            case "gitlab":
                request.Headers.Add("X-Gitlab-Event", @event == "push" ? "Push Hook" : @event);
                request.Headers.Add("X-Gitlab-Event-UUID", delivery);
                if (secret is not null)
                {
                    request.Headers.Add("X-Gitlab-Token", secret);
                }

                break;
            default:
                request.Headers.Add("X-GitHub-Event", @event);
                request.Headers.Add("X-GitHub-Delivery", delivery);
                if (signature is not null)
                {
                    request.Headers.Add("X-Hub-Signature-256", "sha256=" + signature);
                }

                break;
        }

        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null, response);
    }
}

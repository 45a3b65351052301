using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchest.Functions.GitHooks;

/// <summary>Reads a verified delivery's headers and JSON body; every problem is reported (400).</summary>
internal static class GitDeliveryReader
{
    public static GitDelivery? Read(GitProvider provider, IHeaderDictionary headers, byte[] body, List<string> problems)
    {
        var (idHeader, eventHeader) = provider switch
        {
            GitProvider.Gitea => ("X-Gitea-Delivery", "X-Gitea-Event"),
            GitProvider.GitLab => ("X-Gitlab-Event-UUID", "X-Gitlab-Event"),
            _ => ("X-GitHub-Delivery", "X-GitHub-Event"),
        };
        var id = headers[idHeader].ToString().Trim();
        if (id.Length is 0 or > 200)
        {
            problems.Add($"The {idHeader} header must carry the delivery id (1-200 characters): redeliveries are recognised by it.");
        }

        var name = headers[eventHeader].ToString().Trim();
        var kind = Normalise(provider, name);
        if (kind.Length == 0)
        {
            problems.Add($"The {eventHeader} header must name the event (e.g. \"push\").");
        }

        JsonObject? payload = null;
        try
        {
            payload = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            // Reported below.
        }

        if (payload is null)
        {
            problems.Add("The body must be a JSON object (the webhook's content type must be application/json).");
        }

        if (problems.Count > 0 || payload is null)
        {
            return null;
        }

        if (kind is not ("push" or "tag_push"))
        {
            return new GitDelivery(provider, id, kind, null, null, null);
        }

        var reference = Text(payload, "ref", problems);
        var before = Sha(payload, "before", problems);
        var after = Sha(payload, "after", problems);
        return problems.Count > 0 ? null : new GitDelivery(provider, id, kind, reference, before, after);
    }

    /// <summary>"Push Hook" (GitLab) -> "push", "Tag Push Hook" -> "tag_push"; GitHub's and Gitea's names as they are.</summary>
    private static string Normalise(GitProvider provider, string name) => provider == GitProvider.GitLab
        ? name switch
        {
            "Push Hook" => "push",
            "Tag Push Hook" => "tag_push",
            "" => "",
            _ => name.Replace(" Hook", "", StringComparison.Ordinal).Replace(' ', '_').ToLowerInvariant(),
        }
        : name.ToLowerInvariant();

    private static string? Text(JsonObject payload, string field, List<string> problems)
    {
        if (payload[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } text)
        {
            return text;
        }

        problems.Add($"A push must carry \"{field}\" as a string.");
        return null;
    }

    private static string? Sha(JsonObject payload, string field, List<string> problems)
    {
        var text = Text(payload, field, problems);
        if (text is not null && (text.Length != 40 || !text.All(char.IsAsciiHexDigit)))
        {
            problems.Add($"\"{field}\" \"{text}\" must be a full 40-digit commit sha.");
            return null;
        }

        return text?.ToLowerInvariant();
    }
}

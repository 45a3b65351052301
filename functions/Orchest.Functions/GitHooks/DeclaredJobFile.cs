using System.Text.Json;
using System.Text.Json.Nodes;
using Orchest.Engine.Jobs;
using Orchest.Functions.Jobs;

namespace Orchest.Functions.GitHooks;

/// <summary>
/// Reads a job file of the repository (<c>.orchest/jobs/*.json</c>): the jobs API's fields plus
/// <c>"on": {"push": {"branches": [...], "paths": [...]}}</c>. Every problem is reported, each naming its field.
/// Environment values are not allowed (they would be secrets committed to the repository).
/// </summary>
internal static class DeclaredJobFile
{
    public const string Folder = ".orchest/jobs";

    private static readonly string[] NotInFiles = ["env", "draft", "confirm_draft"];

    /// <summary>The job the file asks for on <paramref name="baseline"/> (null with <paramref name="problems"/> said).</summary>
    public static JobDefinition? Read(string file, string content, string commit, JobDefinition baseline, List<string> problems)
    {
        JsonObject? body = null;
        try
        {
            body = JsonNode.Parse(content, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject;
            if (body is null)
            {
                problems.Add("The file must hold one JSON object (the fields of POST /api/projects/{project}/jobs and \"on\").");
            }
        }
        catch (JsonException ex)
        {
            problems.Add($"The file is not valid JSON: {ex.Message}");
        }

        if (body is null)
        {
            return null;
        }

        var trigger = ReadOn(body, problems);
        body.Remove("on");
        foreach (var field in NotInFiles.Where(body.ContainsKey))
        {
            problems.Add(field == "env"
                ? "\"env\" is not allowed in a job file (its values would be committed): set environment variables through PATCH /api/jobs/{job}."
                : $"\"{field}\" is not allowed in a job file: a declared job applies when it is pushed.");
            body.Remove(field);
        }

        var request = JobRequestReader.Read(body, baseline, problems);
        var schedule = request.Definition.Schedule;
        if (trigger is null && !schedule.IsCron && schedule.StartAt is null && problems.Count == 0)
        {
            problems.Add("The file must say when the job runs: \"on\": {\"push\": {...}}, \"cron\" or \"start_at\".");
        }

        if (problems.Count > 0)
        {
            return null;
        }

        return request.Definition with
        {
            Name = request.Definition.Name.Length > 0 ? request.Definition.Name : Path.GetFileNameWithoutExtension(file),
            Declaration = new JobDeclaration
            {
                File = file,
                Commit = commit,
                Content = content,
                OnPush = trigger is not null,
                Branches = trigger?.Branches ?? [],
                Paths = trigger?.Paths ?? [],
            },
        };
    }

    private static (List<string> Branches, List<string> Paths)? ReadOn(JsonObject body, List<string> problems)
    {
        if (!body.TryGetPropertyValue("on", out var on) || on is null)
        {
            return null;
        }

        if (on is not JsonObject triggers)
        {
            problems.Add("\"on\" must be an object like {\"push\": {\"branches\": [\"main\"], \"paths\": [\"src/**\"]}}.");
            return null;
        }

        foreach (var (name, _) in triggers.Where(t => t.Key != "push"))
        {
            problems.Add($"\"on.{name}\" is not a trigger (triggers: push; schedules are \"cron\" and \"start_at\").");
        }

        if (!triggers.TryGetPropertyValue("push", out var push))
        {
            return null;
        }

        if (push is not (null or JsonObject))
        {
            problems.Add("\"on.push\" must be an object (it may be empty: every push to the project's branch).");
            return null;
        }

        var filters = push as JsonObject ?? [];
        foreach (var (name, _) in filters.Where(f => f.Key is not ("branches" or "paths")))
        {
            problems.Add($"\"on.push.{name}\" is not a push filter (filters: branches, paths).");
        }

        return (Globs(filters, "branches", problems), Globs(filters, "paths", problems));
    }

    private static List<string> Globs(JsonObject filters, string field, List<string> problems)
    {
        var globs = new List<string>();
        if (!filters.TryGetPropertyValue(field, out var node) || node is null)
        {
            return globs;
        }

        if (node is not JsonArray list)
        {
            problems.Add($"\"on.push.{field}\" must be a list of globs, e.g. [\"{(field == "paths" ? "src/**" : "main")}\"].");
            return globs;
        }

        foreach (var item in list)
        {
            if (item is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Trim() is { Length: > 0 } glob)
            {
                globs.Add(glob);
            }
            else
            {
                problems.Add($"\"on.push.{field}\" must hold non-empty strings.");
            }
        }

        return globs;
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchest.Engine.Jobs;

namespace Orchest.Functions.Jobs;

/// <summary>
/// Reads a job request body onto a definition: every field of <c>POST .../jobs</c>, and for <c>PATCH</c>
/// a JSON merge patch (an absent field stays, null resets it). Type problems and unknown fields are
/// reported, each naming its field.
/// </summary>
internal static class JobRequestReader
{
    private static readonly string[] Fields =
    [
        "name", "pipeline", "ref", "cron", "time_zone", "start_at", "catch_up", "catch_up_limit",
        "parameters", "grid", "env", "max_retained_pipeline_runs", "draft", "confirm_draft",
    ];

    /// <summary>The definition after the request, the environment when the request sets it, and the draft flags.</summary>
    public static JobRequest Read(JsonObject body, JobDefinition baseline, ICollection<string> problems)
    {
        foreach (var (field, _) in body)
        {
            if (!Fields.Contains(field, StringComparer.Ordinal))
            {
                problems.Add($"\"{field}\" is not a job field (fields: {string.Join(", ", Fields)}).");
            }
        }

        var schedule = baseline.Schedule;
        var definition = baseline;
        if (Text(body, "name", problems, out var name))
        {
            definition = definition with { Name = name?.Trim() ?? "" };
        }

        if (Text(body, "pipeline", problems, out var pipeline))
        {
            definition = definition with { PipelinePath = pipeline ?? "" };
        }

        if (Text(body, "ref", problems, out var reference))
        {
            definition = definition with { Ref = string.IsNullOrWhiteSpace(reference) ? null : reference.Trim() };
        }

        if (Text(body, "cron", problems, out var cron))
        {
            schedule = schedule with { Cron = cron };
        }

        if (Text(body, "time_zone", problems, out var zone))
        {
            schedule = schedule with { TimeZone = zone };
        }

        if (Text(body, "start_at", problems, out var startAt))
        {
            DateTimeOffset? at = null;
            if (startAt is not null)
            {
                if (DateTimeOffset.TryParse(startAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) && HasOffset(startAt))
                {
                    at = parsed;
                }
                else
                {
                    problems.Add($"\"start_at\" \"{startAt}\" must be an ISO 8601 time with an offset, e.g. \"2026-12-24T18:00:00Z\".");
                }
            }

            schedule = schedule with { StartAt = at };
        }

        if (Text(body, "catch_up", problems, out var catchUp))
        {
            if (catchUp is null)
            {
                schedule = schedule with { CatchUp = CatchUpPolicy.Latest };
            }
            else if (Enum.TryParse<CatchUpPolicy>(catchUp, ignoreCase: true, out var policy) && !int.TryParse(catchUp, out _))
            {
                schedule = schedule with { CatchUp = policy };
            }
            else
            {
                problems.Add($"\"catch_up\" \"{catchUp}\" is not one of latest, none, all.");
            }
        }

        if (Integer(body, "catch_up_limit", problems, out var limit))
        {
            schedule = schedule with { CatchUpLimit = limit ?? JobSchedule.DefaultCatchUpLimit };
        }

        if (Integer(body, "max_retained_pipeline_runs", problems, out var retained))
        {
            definition = definition with { MaxRetainedRuns = retained ?? -1 };
        }

        // A list and a grid exclude each other: setting one drops the other.
        if (body.TryGetPropertyValue("parameters", out var parameters))
        {
            definition = definition with { Parameters = parameters is JsonArray list ? (JsonArray)list.DeepClone() : null, Grid = null };
            if (parameters is not null and not JsonArray)
            {
                problems.Add("\"parameters\" must be a non-empty list of parameter sets (one run each), like [{\"pipeline_parameters\": {...}}].");
            }
        }

        if (body.TryGetPropertyValue("grid", out var grid))
        {
            definition = definition with { Grid = grid is JsonObject g ? (JsonObject)g.DeepClone() : null, Parameters = body.ContainsKey("parameters") ? definition.Parameters : null };
            if (grid is not null and not JsonObject)
            {
                problems.Add("\"grid\" must be an object mapping \"pipeline_parameters\" or a step to parameters and their lists of values.");
            }
        }

        Dictionary<string, string>? environment = null;
        if (body.TryGetPropertyValue("env", out var env))
        {
            environment = [];
            if (env is JsonObject values)
            {
                foreach (var (key, value) in values)
                {
                    if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                    {
                        environment[key] = v.GetValue<string>();
                    }
                    else
                    {
                        problems.Add($"\"env\" value of \"{key}\" must be a string.");
                    }
                }
            }
            else if (env is not null)
            {
                problems.Add("\"env\" must be an object of names and string values.");
            }

            definition = definition with { EnvironmentNames = environment.Keys.Order(StringComparer.Ordinal).ToList() };
        }

        Flag(body, "draft", problems, out var draft);
        Flag(body, "confirm_draft", problems, out var confirm);
        return new JobRequest(definition with { Schedule = schedule }, environment, draft, confirm);
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    /// <summary>True when the field is present (then <paramref name="value"/> is its string, or null when null or of another type).</summary>
    private static bool Text(JsonObject body, string field, ICollection<string> problems, out string? value)
    {
        value = null;
        if (!body.TryGetPropertyValue(field, out var node))
        {
            return false;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            value = v.GetValue<string>();
        }
        else if (node is not null)
        {
            problems.Add($"\"{field}\" must be a string.");
        }

        return true;
    }

    private static bool Integer(JsonObject body, string field, ICollection<string> problems, out int? value)
    {
        value = null;
        if (!body.TryGetPropertyValue(field, out var node))
        {
            return false;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var number))
        {
            value = number;
        }
        else if (node is not null)
        {
            problems.Add($"\"{field}\" must be a whole number.");
        }

        return true;
    }

    private static void Flag(JsonObject body, string field, ICollection<string> problems, out bool value)
    {
        value = false;
        if (body.TryGetPropertyValue(field, out var node) && node is not null)
        {
            if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            {
                value = v.GetValue<bool>();
            }
            else
            {
                problems.Add($"\"{field}\" must be true or false.");
            }
        }
    }
}

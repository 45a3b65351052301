using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchest.Functions.Ui.Views;

namespace Orchest.Functions.Ui;

/// <summary>
/// Turns the create-a-job form into the body of <c>POST /api/projects/{project}/jobs</c>: only what the form
/// can say in a browser (a local time in a time zone, parameters as text) is read here; everything else is
/// the API's to check, with its own messages.
/// </summary>
internal static class JobForm
{
    /// <summary>The request body, or null with the form's own problems added.</summary>
    public static JsonObject? ToBody(NewJobEntry entry, ICollection<string> problems)
    {
        var body = new JsonObject();
        if (entry.Name.Trim().Length > 0)
        {
            body["name"] = entry.Name.Trim();
        }

        if (!string.IsNullOrWhiteSpace(entry.Pipeline))
        {
            body["pipeline"] = entry.Pipeline.Trim();
        }

        if (entry.Ref.Trim().Length > 0)
        {
            body["ref"] = entry.Ref.Trim();
        }

        switch (entry.Schedule)
        {
            case "cron":
                body["cron"] = entry.Cron.Trim();
                if (entry.TimeZone.Trim().Length > 0)
                {
                    body["time_zone"] = entry.TimeZone.Trim();
                }

                break;
            case "once":
                if (StartAt(entry.StartAt, entry.TimeZone, problems) is { } at)
                {
                    body["start_at"] = at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
                }

                break;
            case "now":
                break;
            default:
                problems.Add($"\"Schedule\" \"{entry.Schedule}\" is not one of: a cron schedule, once at a time, once now.");
                break;
        }

        if (entry.Parameters.Trim().Length > 0)
        {
            JsonNode? parameters = null;
            try
            {
                parameters = JsonNode.Parse(entry.Parameters);
            }
            catch (JsonException)
            {
                // Said below.
            }

            switch (parameters)
            {
                case JsonArray sets:
                    body["parameters"] = sets;
                    break;
                case JsonObject set:
                    body["parameters"] = new JsonArray(set);
                    break;
                default:
                    problems.Add("\"Parameters\" must be JSON: a list of parameter sets (one run each) or one set, e.g. {\"pipeline_parameters\": {\"report_title\": \"Q3\"}}.");
                    break;
            }
        }

        return problems.Count == 0 ? body : null;
    }

    /// <summary>A local time (<c>2026-12-24T18:00</c>, as a datetime-local field sends it) in an IANA time zone, as an instant.</summary>
    public static DateTimeOffset? StartAt(string local, string timeZone, ICollection<string> problems)
    {
        var zoneId = timeZone.Trim().Length == 0 ? "UTC" : timeZone.Trim();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
        {
            problems.Add($"\"Time zone\" \"{zoneId}\" is not a known time zone (use an IANA name such as \"Europe/Berlin\" or \"UTC\").");
            return null;
        }

        string[] formats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFF"];
        if (!DateTime.TryParseExact(local.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            problems.Add($"\"Start at\" \"{local}\" must be a date and time, e.g. 2026-12-24T18:00.");
            return null;
        }

        if (zone.IsInvalidTime(time))
        {
            problems.Add($"\"Start at\" {local} does not exist in {zoneId} (the clocks skip it when daylight saving time starts).");
            return null;
        }

        // A time that happens twice (the clocks go back) is taken the first time, as cron does.
        var offset = zone.IsAmbiguousTime(time) ? zone.GetAmbiguousTimeOffsets(time).Max() : zone.GetUtcOffset(time);
        return new DateTimeOffset(time, offset);
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchest.Engine.Events;
using Orchest.Engine.Webhooks;

namespace Orchest.Functions.Webhooks;

/// <summary>
/// The body of a webhook request. JSON: <c>{"delivered_for": {"id", "name"}, "event": {...}}</c> (Orchest's
/// envelope). Text: <c>{"text": "..."}</c>, one readable line, what Slack and Teams incoming webhooks post
/// as a message. Capped at <see cref="WebhookOptions.MaxBodyBytes"/>: log tails are shortened, then dropped.
/// </summary>
public static class WebhookBodies
{
    public static byte[] Build(WebhookSubscription subscription, OrchestEvent orchestEvent, int maxBytes)
    {
        if (subscription.ContentType == WebhookSubscription.Text)
        {
            return Serialize(new JsonObject { ["text"] = Truncate(Summary(orchestEvent), maxBytes / 4) });
        }

        var body = Envelope(subscription, orchestEvent);
        if (body.Length <= maxBytes || orchestEvent.FailedSteps is not { Count: > 0 } failed)
        {
            return body;
        }

        // Log tails are what grows: keep each one's end, as much as fits.
        var spare = Math.Max(0, maxBytes - Envelope(subscription, WithTails(orchestEvent, _ => null)).Length - 512);
        var each = spare / failed.Count / 2; // characters may take two bytes once escaped
        body = Envelope(subscription, WithTails(orchestEvent, tail => tail is null || tail.Length <= each ? tail : "..." + tail[^each..]));
        return body.Length <= maxBytes ? body : Envelope(subscription, WithTails(orchestEvent, _ => null));
    }

    /// <summary>One line a person reads in a chat channel.</summary>
    public static string Summary(OrchestEvent e)
    {
        var text = new StringBuilder();
        var what = e.Kind.Replace('.', ' ').Replace('_', ' ');
        if (e.Run is not null)
        {
            var pipeline = e.PipelineName ?? e.PipelinePath ?? e.Pipeline ?? "pipeline";
            text.Append(e.Step is not null
                ? $"Orchest: step \"{e.StepTitle ?? e.Step}\" (attempt {e.Attempt}) of {pipeline} run {e.Run}: {what.Replace("step ", "", StringComparison.Ordinal)}"
                : $"Orchest: {pipeline} run {e.Run}: {what.Replace("run ", "", StringComparison.Ordinal)}");
            if (e.Job is not null)
            {
                text.Append($" ({e.JobKind} job {e.Job})");
            }
        }
        else
        {
            text.Append($"Orchest: {e.JobKind} job {e.Job}: {what.Replace("job ", "", StringComparison.Ordinal)}");
        }

        if (e.FailedSteps is { Count: > 0 } failed)
        {
            text.Append(". Failed: ").AppendJoin(", ", failed.Select(f => $"\"{f.Title}\"" + (f.ExitCode is { } code ? $" (exit code {code})" : "")));
        }

        if (!string.IsNullOrWhiteSpace(e.Message))
        {
            text.Append(". ").Append(e.Message);
        }

        return text.Append($" [{e.Type}, project {e.Project}]").ToString();
    }

    private static byte[] Envelope(WebhookSubscription subscription, OrchestEvent orchestEvent) => Serialize(new JsonObject
    {
        ["delivered_for"] = new JsonObject { ["id"] = subscription.Id, ["name"] = subscription.Name },
        ["event"] = JsonSerializer.SerializeToNode(orchestEvent, OrchestEventJson.Options),
    });

    private static OrchestEvent WithTails(OrchestEvent orchestEvent, Func<string?, string?> tail) =>
        orchestEvent with { FailedSteps = orchestEvent.FailedSteps?.Select(f => f with { LogTail = tail(f.LogTail) }).ToList() };

    private static byte[] Serialize(JsonObject body) => Encoding.UTF8.GetBytes(body.ToJsonString(OrchestEventJson.Options));

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "...";
}

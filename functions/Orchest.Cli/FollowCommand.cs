using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Orchest.Functions.Api;

namespace Orchest.Cli;

/// <summary>
/// <c>orchest follow &lt;run&gt;</c>: a served run's events as they happen, from <c>GET /api/runs/{run}/events/stream</c>,
/// until the run ends; a dropped connection is resumed where it stopped (Last-Event-ID).
/// </summary>
internal sealed class FollowCommand : IOrchestCommand
{
    private const int MaxReconnects = 5;

    private readonly Argument<string> _run = new("run") { Description = "The run's id (POST .../runs answered it)." };
    private readonly Option<string> _server = new("--server")
    {
        HelpName = "url",
        Description = "The orchest serve host (default: $ORCHEST_URL, else http://127.0.0.1:7071).",
    };

    private readonly Option<string> _apiKey = new("--api-key") { HelpName = "key", Description = "API key (default: $ORCHEST_API_KEY)." };
    private readonly Option<bool> _json = new("--json") { Description = "Print each event as one line of JSON (the stream's data)." };

    public FollowCommand()
    {
        Command = new Command("follow", "Follow a served run: print its events as they happen until it ends.");
        Command.Add(_run);
        Command.Add(_server);
        Command.Add(_apiKey);
        Command.Add(_json);
    }

    public Command Command { get; }

    public IReadOnlyList<HelpSection> Help { get; } =
    [
        new("Output", [
            "One line per event: time (local), what happened, the step and attempt, the message; a step shows as "
            + "running while it runs. At the end, the run's status. A run that already ended prints its whole history.",
        ]),
        HelpSection.Examples(
            "orchest follow 0193c1e2-7d4b-7c3a-9f10-2b3c4d5e6f70 --server http://127.0.0.1:7071",
            "ORCHEST_API_KEY=dev-key orchest follow <run> --json | jq .kind"),
        HelpSection.ExitCodes(
            "0\tthe run ended SUCCESS",
            "1\tthe run ended FAILURE or ABORTED",
            "2\tno such run, a wrong API key, or the host cannot be reached"),
        new("Environment", ["ORCHEST_URL\tthe host when --server is not given", "ORCHEST_API_KEY\tthe API key when --api-key is not given"]),
    ];

    public async Task<int> ExecuteAsync(ParseResult parse, TextWriter output, TextWriter error)
    {
        var problems = new CliProblems();
        var server = parse.GetValue(_server) ?? Environment.GetEnvironmentVariable("ORCHEST_URL") ?? "http://127.0.0.1:7071";
        if (!Uri.TryCreate(server.TrimEnd('/') + "/", UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
        {
            problems.Add($"--server \"{server}\" is not an http(s) URL.");
        }

        var key = parse.GetValue(_apiKey) ?? Environment.GetEnvironmentVariable("ORCHEST_API_KEY");
        if (string.IsNullOrEmpty(key))
        {
            problems.Add("an API key is needed: --api-key or ORCHEST_API_KEY.");
        }

        if (problems.Any)
        {
            return problems.Report(error);
        }

        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Add("x-functions-key", key);
        var run = Uri.EscapeDataString(parse.GetValue(_run)!);
        string? lastEventId = null;
        for (var failures = 0; failures <= MaxReconnects; failures++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"api/runs/{run}/events/stream");
                if (lastEventId is not null)
                {
                    request.Headers.Add("Last-Event-ID", lastEventId);
                }

                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                if (!response.IsSuccessStatusCode)
                {
                    problems.Add(await ProblemAsync(response));
                    return problems.Report(error);
                }

                var reader = new ServerSentEventReader(new StreamReader(await response.Content.ReadAsStreamAsync()));
                while (await reader.ReadAsync() is { } next)
                {
                    failures = 0;
                    lastEventId = next.Id ?? lastEventId;
                    if (next.Event == "end")
                    {
                        var status = (string?)JsonNode.Parse(next.Data)?["status"] ?? "unknown";
                        error.WriteLine($"Run {parse.GetValue(_run)} ended {status}.");
                        return status == "SUCCESS" ? ExitCodes.Success : ExitCodes.RunFailed;
                    }

                    output.WriteLine(parse.GetValue(_json) ? next.Data : Line(next));
                }
            }
            catch (HttpRequestException ex) when (failures < MaxReconnects)
            {
                error.WriteLine($"connection lost ({ex.Message}); resuming...");
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                problems.Add($"{baseAddress} cannot be reached: {ex.Message}");
                return problems.Report(error);
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        problems.Add($"the stream of run {parse.GetValue(_run)} kept ending before the run did.");
        return problems.Report(error);
    }

    /// <summary>"12:00:01.234  step.failed       \"Train\" attempt 1: exit code 3".</summary>
    private static string Line(ServerSentEvent next)
    {
        var data = JsonNode.Parse(next.Data)!;
        var time = (DateTimeOffset?)(data["time"] ?? data["started"]) ?? DateTimeOffset.Now;
        var kind = next.Event == "message" ? (string?)data["kind"] : next.Event.Replace('-', '.');
        var step = (string?)data["step_title"] ?? (string?)data["step"];
        var what = step is null ? "" : $"\"{step}\" attempt {data["attempt"]}";
        var message = (string?)data["message"] is { Length: > 0 } m ? ": " + m : "";
        var failed = data["failed_steps"] is JsonArray steps && steps.Count > 0
            ? ": failed " + string.Join(", ", steps.Select(s => $"\"{s!["title"]}\""))
            : "";
        return $"{time.ToLocalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)}  {kind,-16} {what}{message}{failed}".TrimEnd();
    }

    private static async Task<string> ProblemAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var detail = text.StartsWith('{') ? (string?)JsonNode.Parse(text)?["detail"] : null;
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => detail ?? "no such run.",
            HttpStatusCode.Unauthorized => detail ?? "the API key is not valid.",
            _ => $"the host answered {(int)response.StatusCode}: {detail ?? text}",
        };
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Orchest.Testing;

namespace Orchest.Functions.Tests.Support;

/// <summary>
/// A real HTTP receiver for webhooks (Kestrel on a loopback port of its own). <c>answer</c> decides each
/// response from the request and its index (0-based): a status code, after as long as it likes (a
/// hanging receiver awaits something that never comes before the sender gives up). Records every request.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<ReceivedWebhook, Task<int>> _answer;
    private readonly List<ReceivedWebhook> _received = [];

    private WebhookReceiver(WebApplication app, Func<ReceivedWebhook, Task<int>> answer)
    {
        _app = app;
        _answer = answer;
    }

    public string Url { get; private set; } = "";

    public IReadOnlyList<ReceivedWebhook> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public static async Task<WebhookReceiver> StartAsync(Func<ReceivedWebhook, Task<int>>? answer = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new WebhookReceiver(builder.Build(), answer ?? (_ => Task.FromResult(200)));
        receiver._app.MapPost("/hook", receiver.AnswerAsync);
        await receiver._app.StartAsync();
        receiver.Url = receiver._app.Urls.Single() + "/hook";
        return receiver;
    }

    /// <summary>A URL on a loopback port nobody listens on (a receiver that is down).</summary>
    public static string DownUrl() => $"http://127.0.0.1:{FreePort.Next()}/hook";

    public async Task<ReceivedWebhook> WaitForAsync(Func<ReceivedWebhook, bool> match, TimeSpan timeout, string what)
    {
        await Wait.UntilAsync(() => Received.Any(match), timeout, () => $"{what}; received:\n{string.Join("\n", Received)}");
        return Received.First(match);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    private async Task<IResult> AnswerAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        ReceivedWebhook received;
        lock (_received)
        {
            received = new ReceivedWebhook(_received.Count, DateTimeOffset.UtcNow, headers, body.ToArray());
            _received.Add(received);
        }

        return Results.StatusCode(await _answer(received));
    }
}

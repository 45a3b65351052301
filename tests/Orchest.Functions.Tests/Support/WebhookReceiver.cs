using System.Net;
using Orchest.Testing;

namespace Orchest.Functions.Tests.Support;

/// <summary>
/// A real HTTP receiver for webhooks on a free loopback port. <paramref name="answer"/> decides each
/// response from the request and its index (0-based): a status code, after as long as it likes (a
/// hanging receiver awaits something that never comes before the sender gives up). Records every request.
/// </summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<ReceivedWebhook, Task<int>> _answer;
    private readonly List<ReceivedWebhook> _received = [];
    private readonly CancellationTokenSource _closed = new();

    public WebhookReceiver(Func<ReceivedWebhook, Task<int>>? answer = null)
    {
        _answer = answer ?? (_ => Task.FromResult(200));
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    /// <summary>Cancelled when the receiver closes: hanging answers can wait on it.</summary>
    public CancellationToken Closed => _closed.Token;

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

    /// <summary>A URL on a loopback port nobody listens on (a receiver that is down).</summary>
    public static string DownUrl() => $"http://127.0.0.1:{FreePort.Next()}/hook";

    public async Task<ReceivedWebhook> WaitForAsync(Func<ReceivedWebhook, bool> match, TimeSpan timeout, string what)
    {
        await Wait.UntilAsync(() => Received.Any(match), timeout, () => $"{what}; received:\n{string.Join("\n", Received)}");
        return Received.First(match);
    }

    public void Dispose()
    {
        _closed.Cancel();
        _listener.Close();
        _closed.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys.OfType<string>()
                .ToDictionary(k => k.ToLowerInvariant(), k => context.Request.Headers[k] ?? "");
            ReceivedWebhook request;
            lock (_received)
            {
                request = new ReceivedWebhook(_received.Count, DateTimeOffset.UtcNow, headers, body.ToArray());
                _received.Add(request);
            }

            context.Response.StatusCode = await _answer(request);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException or OperationCanceledException or InvalidOperationException)
        {
            // The sender gave up (timeout) or the receiver closed.
        }
    }
}

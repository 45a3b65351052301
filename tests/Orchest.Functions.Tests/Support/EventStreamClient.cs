using System.Text;
using Orchest.Functions.Api;

namespace Orchest.Functions.Tests.Support;

/// <summary>A client of <c>GET /api/runs/{run}/events/stream</c>, recording every event with when it arrived.</summary>
internal sealed class EventStreamClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _text;
    private readonly ServerSentEventReader _reader;

    private EventStreamClient(HttpResponseMessage response, StreamReader text)
    {
        _response = response;
        _text = text;
        _reader = new ServerSentEventReader(text);
    }

    public List<StreamedEvent> Received { get; } = [];

    public static async Task<EventStreamClient> OpenAsync(HttpClient http, string runId, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/runs/{runId}/events/stream");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"the stream answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventStreamClient(response, new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8));
    }

    /// <summary>Reads events until one matches <paramref name="until"/> (included) or the stream ends; fails after <paramref name="timeout"/>.</summary>
    public async Task<List<StreamedEvent>> ReadUntilAsync(Func<StreamedEvent, bool> until, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var read = new List<StreamedEvent>();
        try
        {
            while (await NextAsync(deadline.Token) is { } next)
            {
                read.Add(next);
                if (until(next))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Assert.Fail($"The stream did not deliver the expected event within {timeout.TotalSeconds} s; received:\n{string.Join("\n", Received)}");
        }

        return read;
    }

    public Task<List<StreamedEvent>> ReadToEndAsync(TimeSpan timeout) => ReadUntilAsync(e => e.Event == "end", timeout);

    public async ValueTask DisposeAsync()
    {
        _text.Dispose();
        _response.Dispose();
        await Task.CompletedTask;
    }

    private async Task<StreamedEvent?> NextAsync(CancellationToken cancellationToken)
    {
        if (await _reader.ReadAsync(cancellationToken) is not { } next)
        {
            return null;
        }

        var streamed = new StreamedEvent(next.Id, next.Event, next.Data, DateTimeOffset.UtcNow);
        Received.Add(streamed);
        return streamed;
    }
}

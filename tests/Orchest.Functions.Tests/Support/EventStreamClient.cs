using System.Text;

namespace Orchest.Functions.Tests.Support;

/// <summary>
/// A Server-Sent Events client of <c>GET /api/runs/{run}/events/stream</c> as a browser's EventSource reads
/// it: lines of <c>field: value</c>, an empty line ends an event, lines starting with ':' are comments.
/// </summary>
internal sealed class EventStreamClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStreamClient(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
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
        _reader.Dispose();
        _response.Dispose();
        await Task.CompletedTask;
    }

    private async Task<StreamedEvent?> NextAsync(CancellationToken cancellationToken)
    {
        string? id = null, name = null;
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length == 0 && name is null)
                {
                    continue; // a retry hint or a comment only
                }

                var streamed = new StreamedEvent(id, name ?? "message", data.ToString().TrimEnd('\n'), DateTimeOffset.UtcNow);
                Received.Add(streamed);
                return streamed;
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    name = value;
                    break;
                case "data":
                    data.Append(value).Append('\n');
                    break;
            }
        }

        return null;
    }
}

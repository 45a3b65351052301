using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Orchest.Testing;

namespace Orchest.Sdk.Tests;

/// <summary>Retries and resumed downloads against a small fake blob endpoint (Azurite does not fail on demand).</summary>
public sealed class BlobRetryTests : IDisposable
{
    private readonly TestPipeline _pipeline = new();
    private readonly HttpListener _listener;
    private readonly List<(string Url, string? Range)> _requests = [];
    private readonly byte[] _payload = Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Range(0, 100_000)) + "]");
    private readonly int _port;
    private int _listFailures;
    private int _cutDownloads;

    public BlobRetryTests()
    {
        BlobRest.RetryBackoff = TimeSpan.FromMilliseconds(10);
        (_listener, _port) = FreePort.StartHttpListener();
        _ = Task.Run(ServeAsync);
    }

    public void Dispose()
    {
        _listener.Close();
        _pipeline.Dispose();
    }

    [Fact]
    public async Task TransientFailures_AreRetried_AndADroppedDownloadResumes()
    {
        _listFailures = 2;
        _cutDownloads = 1;

        var inputs = await Context().GetInputsAsync();

        Assert.Equal(100_000, Assert.Single(inputs.Unnamed).AsJson().GetArrayLength());
        lock (_requests)
        {
            Assert.Equal(3, _requests.Count(r => r.Url.Contains("comp=list", StringComparison.Ordinal)));
            var payloadRequests = _requests.Where(r => r.Url.Contains("unnamed.data", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, payloadRequests.Count);
            Assert.Null(payloadRequests[0].Range);
            Assert.StartsWith("bytes=", payloadRequests[1].Range, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PersistentFailures_StopAfterTheLastAttempt_WithoutTheSas()
    {
        _listFailures = 100;

        var error = await Assert.ThrowsAsync<BlobStorageException>(() => Context().GetInputsAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains("List Blobs http://127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error.ToString(), StringComparison.Ordinal);
        lock (_requests)
        {
            Assert.Equal(BlobRest.Attempts, _requests.Count);
        }
    }

    private StepContext Context()
    {
        var location = new JsonObject
        {
            ["kind"] = "blob",
            ["container_url"] = $"http://127.0.0.1:{_port}/acct/c",
            ["prefix"] = "p/",
            ["query"] = "sv=2021-08-06&sig=SECRET",
        };
        return StepContext.Load(BlobOutputSetTests.WriteContext(_pipeline, "B", [("A", location)], new JsonObject { ["kind"] = "dir", ["path"] = _pipeline.Root }));
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var url = context.Request.Url!.PathAndQuery;
            var range = context.Request.Headers["Range"];
            lock (_requests)
            {
                _requests.Add((url, range));
            }

            var response = context.Response;
            if (url.Contains("comp=list", StringComparison.Ordinal))
            {
                if (Interlocked.Decrement(ref _listFailures) >= 0)
                {
                    await WriteAsync(response, 503, "<Error><Code>ServerBusy</Code><Message>Busy.</Message></Error>"u8.ToArray());
                    continue;
                }

                await WriteAsync(response, 200, """
                    <?xml version="1.0" encoding="utf-8"?><EnumerationResults><Blobs>
                    <Blob><Name>p/unnamed.data</Name></Blob><Blob><Name>p/unnamed.meta.json</Name></Blob>
                    </Blobs><NextMarker/></EnumerationResults>
                    """u8.ToArray());
            }
            else if (url.StartsWith("/acct/c/p/unnamed.meta.json", StringComparison.Ordinal))
            {
                await WriteAsync(response, 200, Encoding.UTF8.GetBytes($$"""{"name": null, "serialization": "JSON", "size": {{_payload.Length}}}"""));
            }
            else
            {
                var start = range is null ? 0 : int.Parse(range["bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
                response.StatusCode = range is null ? 200 : 206;
                response.Headers["ETag"] = "\"etag-1\"";
                response.ContentLength64 = _payload.Length - start;
                if (range is null && Interlocked.Decrement(ref _cutDownloads) >= 0)
                {
                    await response.OutputStream.WriteAsync(_payload.AsMemory(0, _payload.Length / 3));
                    await response.OutputStream.FlushAsync();
                    response.Abort();
                    continue;
                }

                Assert.Equal("\"etag-1\"", context.Request.Headers["If-Match"] ?? "\"etag-1\"");
                await response.OutputStream.WriteAsync(_payload.AsMemory(start));
                response.Close();
            }
        }
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, byte[] body)
    {
        response.StatusCode = status;
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
        response.Close();
    }
}

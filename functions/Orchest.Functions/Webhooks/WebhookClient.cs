using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Orchest.Engine.Webhooks;

namespace Orchest.Functions.Webhooks;

/// <summary>
/// Sends one webhook attempt: a signed POST, cut off after <see cref="WebhookOptions.Timeout"/> (connect,
/// send, response headers and the first KiB of the response together), redirects not followed, no
/// proxy (a proxy would connect where <see cref="WebhookTargets"/> did not check). Never throws for what
/// the receiver does: the outcome is the attempt's status code or error.
/// </summary>
public sealed class WebhookClient : IDisposable
{
    private const int ResponseExcerptBytes = 1024;
    private readonly HttpClient _http;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _clock;

    public WebhookClient(WebhookTargets targets, WebhookOptions options, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectCallback = targets.ConnectAsync,
            ConnectTimeout = options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxResponseHeadersLength = 64,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Orchest.Functions", "1.0"));
    }

    /// <summary>Posts <paramref name="body"/> to <paramref name="url"/> with <paramref name="headers"/> as attempt <paramref name="number"/> from <paramref name="host"/>.</summary>
    public async Task<WebhookAttempt> SendAsync(
        Uri url, byte[] body, IReadOnlyDictionary<string, string> headers, int number, string host, CancellationToken cancellationToken)
    {
        var started = _clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            if (code is >= 200 and < 300)
            {
                return new WebhookAttempt(number, started, host, watch.ElapsedMilliseconds, code);
            }

            var error = code is >= 300 and < 400
                ? $"HTTP {code}: redirects are not followed (point the webhook at the final URL)"
                : $"HTTP {code}{Excerpt(await ReadExcerptAsync(response, timeout.Token))}";
            return new WebhookAttempt(number, started, host, watch.ElapsedMilliseconds, code, error);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(number, started, host, watch.ElapsedMilliseconds, null,
                $"timed out after {_options.Timeout.TotalSeconds:0.###} s ({WebhookOptions.Section}:Timeout)");
        }
        catch (HttpRequestException ex)
        {
            return new WebhookAttempt(number, started, host, watch.ElapsedMilliseconds, null, FirstLine(ex.InnerException?.Message ?? ex.Message));
        }
    }

    public void Dispose() => _http.Dispose();

    private static async Task<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[ResponseExcerptBytes];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            return Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return "";
        }
    }

    private static string Excerpt(string text)
    {
        var line = FirstLine(text).Trim();
        return line.Length == 0 ? "" : ": " + (line.Length > 200 ? line[..200] + "..." : line);
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}

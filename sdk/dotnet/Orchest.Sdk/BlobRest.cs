using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Orchest.Sdk;

/// <summary>
/// The few Blob service REST calls the SDK makes, over plain <see cref="HttpClient"/>: version and
/// date headers, a bounded retry with backoff on 5xx, 408, 429 and connection failures, and errors
/// whose messages never carry the SAS query (PROTOCOL.md §2).
/// </summary>
internal static partial class BlobRest
{
    /// <summary>The REST API version sent as <c>x-ms-version</c>; Azure and Azurite 3.37 accept it.</summary>
    public const string ApiVersion = "2021-08-06";

    /// <summary>Attempts per request, the first included.</summary>
    public const int Attempts = 4;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(120);

    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(30),
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
    })
    {
        // Per request instead (RequestTimeout): a streamed download may take longer than any one request.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Tests only: sees every request of the current asynchronous flow (method and URL) before it is sent.</summary>
    internal static AsyncLocal<Action<HttpMethod, Uri>?> Observer { get; } = new();

    /// <summary>First backoff delay; doubled after each failed attempt (with jitter).</summary>
    internal static TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Removes URL query strings (SAS tokens) and any <c>sig=</c> value from a text.</summary>
    public static string Redact(string text) =>
        SignatureRegex().Replace(QueryRegex().Replace(text, "?REDACTED"), "${key}REDACTED");

    /// <summary>
    /// Sends a request built by <paramref name="build"/> (called once per attempt) and returns the
    /// response when its status is a success or in <paramref name="tolerated"/>; the caller disposes
    /// it. A 404 that is not tolerated becomes <see cref="FileNotFoundException"/>, any other failure
    /// <see cref="BlobStorageException"/>. <paramref name="what"/> describes the request without the SAS.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> build,
        string what,
        CancellationToken cancellationToken,
        bool streamBody = false,
        params HttpStatusCode[] tolerated)
    {
        var delay = RetryBackoff;
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            using var request = build();
            Observer.Value?.Invoke(request.Method, request.RequestUri!);
            request.Headers.TryAddWithoutValidation("x-ms-version", ApiVersion);
            request.Headers.TryAddWithoutValidation("x-ms-date", DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(RequestTimeout);
            try
            {
                response = await Client.SendAsync(
                    request,
                    streamBody ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead,
                    timeout.Token);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or IOException or OperationCanceledException)
            {
                if (attempt >= Attempts)
                {
                    var reason = ex is OperationCanceledException ? $"no answer within {RequestTimeout.TotalSeconds:0} s" : $"{ex.GetType().Name}: {ex.Message}";
                    throw new BlobStorageException(Redact($"Blob storage request failed: {what}: {reason} (after {attempt} attempts)."));
                }

                await Task.Delay(Jitter(delay), cancellationToken);
                delay *= 2;
                continue;
            }

            if (response.IsSuccessStatusCode || tolerated.Contains(response.StatusCode))
            {
                return response;
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if ((status is 408 or 429 or >= 500) && attempt < Attempts)
                {
                    await Task.Delay(Jitter(delay), cancellationToken);
                    delay *= 2;
                    continue;
                }

                var (code, details) = await ErrorDetailsAsync(response, cancellationToken);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    throw new FileNotFoundException($"{what}: {details}");
                }

                throw new BlobStorageException($"Blob storage refused {what}: {details}.{Hint(response.StatusCode)}", response.StatusCode, code);
            }
        }
    }

    /// <summary>Sends a request and disposes the response (for requests without a useful body).</summary>
    public static async Task SendAndForgetAsync(Func<HttpRequestMessage> build, string what, CancellationToken cancellationToken, params HttpStatusCode[] tolerated)
    {
        using var response = await SendAsync(build, what, cancellationToken, streamBody: false, tolerated);
    }

    /// <summary>A request with the SDK's headers (added by <see cref="SendAsync"/>) and an optional body.</summary>
    public static HttpRequestMessage Request(HttpMethod method, Uri uri, HttpContent? content = null, string? blobType = null, string? contentType = null)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
        if (blobType is not null)
        {
            request.Headers.TryAddWithoutValidation("x-ms-blob-type", blobType);
        }

        if (contentType is not null)
        {
            request.Headers.TryAddWithoutValidation("x-ms-blob-content-type", contentType);
        }

        return request;
    }

    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.75 + (Random.Shared.NextDouble() / 2));

    private static async Task<(string? Code, string Details)> ErrorDetailsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var code = response.Headers.TryGetValues("x-ms-error-code", out var values) ? values.FirstOrDefault() : null;
        string? message = null;
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (body.Length > 0)
            {
                var error = XDocument.Parse(body).Root;
                code ??= error?.Element("Code")?.Value;
                message = error?.Element("Message")?.Value.Split('\n', 2)[0].Trim();
            }
        }
        catch (Exception ex) when (ex is XmlException or HttpRequestException or IOException)
        {
            // No readable error body: the status says enough.
        }

        var details = $"HTTP {(int)response.StatusCode}";
        if (!string.IsNullOrEmpty(code))
        {
            details += $" {code}";
        }

        if (!string.IsNullOrEmpty(message))
        {
            details += $" ({message})";
        }

        return (code, Redact(details));
    }

    private static string Hint(HttpStatusCode status) => status == HttpStatusCode.Forbidden
        ? " The SAS of the step context may have expired or may lack a permission "
            + "(inputs need read and list; the output set needs read, create, write, delete and list)."
        : "";

    [GeneratedRegex("""\?[^\s"'<>]*""")]
    private static partial Regex QueryRegex();

    [GeneratedRegex("""(?<key>sig=)[^&\s"'<>]*""", RegexOptions.IgnoreCase)]
    private static partial Regex SignatureRegex();
}

using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Orchest.Chaos.Trials;

/// <summary>
/// The HTTP API of a trial as a client sees it when hosts die: each call goes to the next live host in
/// turn. Reads that find no answer (the host died under them) or a 503 try the next live host; writes
/// (start a run, cancel one) are sent once, and a write without an answer is recorded as such: it may or
/// may not have taken effect, which is exactly what the invariants must survive.
/// </summary>
public sealed class ChaosApi(TrialHosts hosts, Stopwatch workload)
{
    private const int ReadTries = 6;
    private static readonly TimeSpan ReadRetryDelay = TimeSpan.FromMilliseconds(500);
    private int _next;

    public Task<ApiAnswer> PostAsync(string path, JsonNode body, CancellationToken cancellationToken) =>
        SendOnceAsync(HttpMethod.Post, path, Encoding.UTF8.GetBytes(body.ToJsonString()), cancellationToken);

    public Task<ApiAnswer> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendOnceAsync(HttpMethod.Delete, path, null, cancellationToken);

    /// <summary>
    /// A push delivery as GitHub sends it (signed with <paramref name="secret"/>), once, to <paramref name="host"/>
    /// or else the next live host; like GitHub, the trial does not redeliver a delivery that got no answer.
    /// </summary>
    public Task<ApiAnswer> DeliverPushAsync(
        string project, string deliveryId, JsonObject push, string secret, TrialHost? host, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(push.ToJsonString());
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
        return SendOnceAsync(HttpMethod.Post, $"api/projects/{project}/hooks/git", body, cancellationToken, host, request =>
        {
            request.Headers.Add("X-GitHub-Event", "push");
            request.Headers.Add("X-GitHub-Delivery", deliveryId);
            request.Headers.Add("X-Hub-Signature-256", signature);
        });
    }

    /// <summary>A GET answered by some live host (or the last failure when none answered).</summary>
    public async Task<ApiAnswer> GetAsync(string path, CancellationToken cancellationToken)
    {
        ApiAnswer? last = null;
        for (var attempt = 0; attempt < ReadTries; attempt++)
        {
            last = await SendOnceAsync(HttpMethod.Get, path, null, cancellationToken);
            if (last.Status is { } status && status != HttpStatusCode.ServiceUnavailable)
            {
                return last;
            }

            await Task.Delay(ReadRetryDelay, cancellationToken);
        }

        return last!;
    }

    /// <summary>A GET of text (a step's log), from some live host; null when none answered 200.</summary>
    public async Task<string?> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < ReadTries; attempt++)
        {
            if (Next() is not { } host)
            {
                return null;
            }

            try
            {
                using var response = await host.Client.GetAsync(path, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return await response.Content.ReadAsStringAsync(cancellationToken);
                }

                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                {
                    return null;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // This host died meanwhile: the next one.
            }

            await Task.Delay(ReadRetryDelay, cancellationToken);
        }

        return null;
    }

    private async Task<ApiAnswer> SendOnceAsync(
        HttpMethod method, string path, byte[]? body, CancellationToken cancellationToken, TrialHost? to = null, Action<HttpRequestMessage>? headers = null)
    {
        var at = workload.Elapsed.TotalSeconds;
        if ((to ?? Next()) is not { } host)
        {
            return new ApiAnswer("none", at, null, null, "no live host");
        }

        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        }

        headers?.Invoke(request);
        try
        {
            using var response = await host.Client.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonNode? parsed = null;
            if (text.Length > 0 && (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) ?? false))
            {
                parsed = JsonNode.Parse(text);
            }

            return new ApiAnswer(host.Name, at, response.StatusCode, parsed, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException
                                   && !cancellationToken.IsCancellationRequested)
        {
            return new ApiAnswer(host.Name, at, null, null, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private TrialHost? Next()
    {
        var live = hosts.Live;
        return live.Count == 0 ? null : live[(int)((uint)Interlocked.Increment(ref _next) % (uint)live.Count)];
    }
}

using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Orchest.Testing;

/// <summary>
/// The Docker Engine API the container tests run against: <c>DOCKER_HOST</c>, else the repository's
/// podman service (<c>.tools/podman/podman.sock</c>). When it does not answer, or the local base image
/// is missing, every test of the collection fails with what to run; tests are never skipped silently
/// (under CI=true or not).
/// </summary>
public sealed class DockerEngineFixture : IAsyncLifetime
{
    /// <summary>The base image the tests use (built by infra/local/base-images.sh).</summary>
    public const string BaseImage = "orchest/base-kernel-py:local";

    public string Endpoint { get; private set; } = "";

    /// <summary>The repository's root (for the Python SDK under sdk/python).</summary>
    public string RepositoryRoot { get; } = FindRepositoryRoot();

    public async Task InitializeAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("DOCKER_HOST");
        var podmanSocket = Path.Combine(RepositoryRoot, ".tools", "podman", "podman.sock");
        Endpoint = fromEnvironment is { Length: > 0 } ? fromEnvironment : "unix://" + podmanSocket;
        var instructions =
            "Start the local engine first: infra/local/podman-service.sh start && infra/local/base-images.sh && "
            + "eval \"$(infra/local/podman-service.sh env)\" (infra/test.sh does this), or point DOCKER_HOST at a Docker Engine "
            + $"that has {BaseImage}.";
        using var http = CreateHttpClient(Endpoint);
        try
        {
            var ping = await http.GetStringAsync("/_ping");
            if (ping.Trim() != "OK")
            {
                throw new InvalidOperationException($"The Docker Engine API at {Endpoint} answered /_ping with \"{ping}\". {instructions}");
            }

            using var image = await http.GetAsync("/images/" + Uri.EscapeDataString(BaseImage) + "/json");
            if (image.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException(
                    $"The Docker Engine API at {Endpoint} has no image {BaseImage} ({(int)image.StatusCode}). Build it: infra/local/base-images.sh.");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or TaskCanceledException)
        {
            var ci = Environment.GetEnvironmentVariable("CI") == "true" ? " (CI=true: the container tests must run)" : "";
            throw new InvalidOperationException($"No Docker Engine API answers at {Endpoint}{ci}: {ex.Message}. {instructions}", ex);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>An HTTP client for the engine's API (unix socket or tcp), for checks the runner under test must not do itself.</summary>
    public static HttpClient CreateHttpClient(string endpoint)
    {
        var uri = new Uri(endpoint);
        if (uri.Scheme != "unix")
        {
            var scheme = uri.Scheme == "https" ? "https" : "http";
            return new HttpClient { BaseAddress = new Uri($"{scheme}://{uri.Host}:{uri.Port}"), Timeout = TimeSpan.FromSeconds(10) };
        }

        var socket = uri.AbsolutePath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken);
                    return new NetworkStream(s, ownsSocket: true);
                }
                catch
                {
                    s.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://docker"), Timeout = TimeSpan.FromSeconds(10) };
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orchest.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Orchest.Functions.sln above {AppContext.BaseDirectory}.");
    }
}

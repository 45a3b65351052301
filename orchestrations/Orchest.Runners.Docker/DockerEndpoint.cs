using Docker.DotNet;

namespace Orchest.Runners.Docker;

/// <summary>The Docker Engine API address (<c>DOCKER_HOST</c> syntax) and the client for it.</summary>
public static class DockerEndpoint
{
    /// <summary>Accepts <c>unix:///abs/path</c>, <c>tcp://host:port</c>, <c>http(s)://host:port</c> and <c>npipe://</c>.</summary>
    public static bool TryParse(string? endpoint, out Uri uri, out string problem)
    {
        uri = null!;
        problem = "";
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            problem = "no endpoint; set DOCKER_HOST, e.g. unix:///var/run/docker.sock or tcp://127.0.0.1:2375.";
            return false;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("unix" or "tcp" or "http" or "https" or "npipe"))
        {
            problem = $"\"{endpoint}\" is not a Docker endpoint such as unix:///var/run/docker.sock or tcp://127.0.0.1:2375.";
            return false;
        }

        if (parsed.Scheme == "unix" && parsed.AbsolutePath.Length <= 1)
        {
            problem = $"\"{endpoint}\" names no socket path (use three slashes: unix:///path/to/docker.sock).";
            return false;
        }

        uri = parsed;
        return true;
    }

    /// <summary>A client for <paramref name="endpoint"/>; the caller disposes it.</summary>
    public static DockerClient CreateClient(string endpoint)
    {
        if (!TryParse(endpoint, out var uri, out var problem))
        {
            throw new ArgumentException(problem, nameof(endpoint));
        }

        // Long requests (builds, attached output) are streams; a stuck plain request still ends.
        // The client owns its configuration and disposes it with itself.
#pragma warning disable CA2000 // ownership passes to the returned client
        var configuration = new DockerClientConfiguration(uri, defaultTimeout: TimeSpan.FromMinutes(2));
#pragma warning restore CA2000
        return configuration.CreateClient();
    }
}

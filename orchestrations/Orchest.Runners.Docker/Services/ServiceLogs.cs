using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Orchest.Runners.Docker.Services;

/// <summary>A service container's output (stdout and stderr, interleaved).</summary>
internal static class ServiceLogs
{
    public static async Task<IReadOnlyList<string>> ReadAsync(DockerClient client, string id, int? tail, CancellationToken cancellationToken = default)
    {
        using var stream = await client.Containers.GetContainerLogsAsync(
            id, tty: false,
            new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = tail?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all" },
            cancellationToken);
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(cancellationToken);
        var text = new StringBuilder(stdout).Append(stderr).ToString();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
    }
}

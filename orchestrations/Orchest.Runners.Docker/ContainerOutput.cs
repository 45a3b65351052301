using Docker.DotNet;
using Orchest.Engine.Ports;

namespace Orchest.Runners.Docker;

/// <summary>Copies an attached container's stdout and stderr to the step log, line by line, as they arrive.</summary>
internal static class ContainerOutput
{
    /// <summary>Reads until the container's output ends (it exited) or the connection breaks.</summary>
    public static async Task PumpAsync(MultiplexedStream stream, IStepLog log, CancellationToken cancellationToken)
    {
        var stdout = new LineAssembler();
        var stderr = new LineAssembler();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
            if (read.EOF)
            {
                break;
            }

            var lines = (read.Target == MultiplexedStream.TargetStream.StandardError ? stderr : stdout).Add(buffer.AsSpan(0, read.Count));
            foreach (var line in lines)
            {
                await log.WriteLineAsync(line, cancellationToken);
            }
        }

        foreach (var assembler in new[] { stdout, stderr })
        {
            if (assembler.Flush() is { } last)
            {
                await log.WriteLineAsync(last, cancellationToken);
            }
        }
    }
}

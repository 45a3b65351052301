using Docker.DotNet;
using Orchest.Engine.Ports;
using Orchest.Runners.Output;

namespace Orchest.Runners.Docker;

/// <summary>Copies an attached container's stdout and stderr to the step log, line by line, as they arrive.</summary>
internal static class ContainerOutput
{
    /// <summary>Reads until the container's output ends (it exited) or the connection breaks.</summary>
    public static Task PumpAsync(MultiplexedStream stream, IStepLog log, CancellationToken cancellationToken) =>
        new StepOutputPump(log).RunAsync(
            async (buffer, ct) =>
            {
                // Docker frames are not lines; the pump joins and splits them per stream.
                if (!System.Runtime.InteropServices.MemoryMarshal.TryGetArray<byte>(buffer, out var segment))
                {
                    throw new InvalidOperationException("The output buffer must be an array.");
                }

                var read = await stream.ReadOutputAsync(segment.Array!, segment.Offset, segment.Count, ct);
                return read.EOF ? OutputChunk.End : new OutputChunk(read.Count, read.Target == MultiplexedStream.TargetStream.StandardError ? 1 : 0);
            },
            cancellationToken);
}

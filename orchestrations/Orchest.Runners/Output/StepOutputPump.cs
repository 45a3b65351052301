using Orchest.Engine.Ports;

namespace Orchest.Runners.Output;

/// <summary>
/// Copies a step's output to its log line by line while the step runs. Text that waits longer than
/// <see cref="FragmentDelay"/> for its newline (a progress bar, <c>print(..., end="")</c>, a prompt)
/// is written as a line of its own, so the log shows it while the step runs; what follows it starts
/// a new line. Shared by the process and the container runner.
/// </summary>
public sealed class StepOutputPump(IStepLog log)
{
    /// <summary>How long a partial line may wait for its newline before it is written as it is.</summary>
    public TimeSpan FragmentDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Reads with <paramref name="read"/> until the output ends or <paramref name="cancellationToken"/>
    /// fires (a process outside the step still holds the pipe: the step is over, its log must close);
    /// either way every line and fragment read so far is written.
    /// </summary>
    public async Task RunAsync(Func<Memory<byte>, CancellationToken, Task<OutputChunk>> read, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        var assemblers = new[] { new LineAssembler(), new LineAssembler() };
        var buffer = new byte[16 * 1024];
        Task<OutputChunk>? reading = null;
        try
        {
            while (true)
            {
                reading ??= read(buffer, cancellationToken);
                if (!reading.IsCompleted && assemblers.Any(a => a.HasFragment))
                {
                    var quiet = Task.Delay(FragmentDelay, cancellationToken);
                    if (await Task.WhenAny(reading, quiet) != reading)
                    {
                        await WriteFragmentsAsync(assemblers);
                        continue;
                    }
                }

                var chunk = await reading;
                reading = null;
                if (chunk.Count == 0)
                {
                    break;
                }

                foreach (var line in assemblers[chunk.Stream == 1 ? 1 : 0].Add(buffer.AsSpan(0, chunk.Count)))
                {
                    await log.WriteLineAsync(line, CancellationToken.None);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Abandoned: the step has ended and its log is closing.
        }

        foreach (var assembler in assemblers)
        {
            if (assembler.Flush() is { } last)
            {
                await log.WriteLineAsync(last, CancellationToken.None);
            }
        }
    }

    /// <summary>Reads a stream (a pipe) as stream <paramref name="index"/> until it ends.</summary>
    public Task RunAsync(Stream stream, int index = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return RunAsync(async (buffer, ct) => new OutputChunk(await stream.ReadAsync(buffer, ct), index), cancellationToken);
    }

    private async Task WriteFragmentsAsync(LineAssembler[] assemblers)
    {
        foreach (var assembler in assemblers)
        {
            if (assembler.TakeFragment() is { } fragment)
            {
                await log.WriteLineAsync(fragment, CancellationToken.None);
            }
        }
    }
}

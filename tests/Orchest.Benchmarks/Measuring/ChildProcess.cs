using System.Diagnostics;
using System.Text;

namespace Orchest.Benchmarks.Measuring;

/// <summary>
/// Runs a command to its end with output captured, timed from just before start to exit. Its peak
/// resident memory (VmHWM, the process itself, not its children) is read from /proc while it runs:
/// the kernel's high-water mark only grows, so the last read before exit is the peak within one poll.
/// </summary>
public static class ChildProcess
{
    public static async Task<ChildProcessResult> RunAsync(
        string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        var clock = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var watching = new CancellationTokenSource();
        var peak = WatchPeakMemoryAsync(process.Id, watching.Token);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{Path.GetFileName(fileName)} did not finish within {timeout.TotalSeconds:0} s.");
        }

        clock.Stop();
        await watching.CancelAsync();
        return new ChildProcessResult(process.ExitCode, await stdout, await stderr, clock.Elapsed, await peak);
    }

    private static async Task<long?> WatchPeakMemoryAsync(int pid, CancellationToken stop)
    {
        long? peak = null;
        var status = $"/proc/{pid}/status";
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var line = (await File.ReadAllLinesAsync(status, CancellationToken.None)).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                if (line is not null && long.TryParse(line["VmHWM:".Length..].Trim().Split(' ')[0], out var kilobytes))
                {
                    peak = Math.Max(peak ?? 0, kilobytes * 1024);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not Linux, or the process is gone (a zombie has no VmHWM line either).
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return peak;
    }
}

/// <summary>What a finished command printed, how long it took and its peak resident memory in bytes (null where /proc cannot tell).</summary>
public sealed record ChildProcessResult(int ExitCode, string Output, string Error, TimeSpan Elapsed, long? PeakMemory = null)
{
    /// <summary>Throws with the last lines of output when the command failed.</summary>
    public ChildProcessResult EnsureSuccess(string what)
    {
        if (ExitCode == 0)
        {
            return this;
        }

        var tail = string.Join('\n', (Error + "\n" + Output).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(8));
        throw new InvalidOperationException(new StringBuilder($"{what} exited with {ExitCode}: ").Append(tail).ToString());
    }
}

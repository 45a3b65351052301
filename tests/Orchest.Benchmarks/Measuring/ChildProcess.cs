using System.Diagnostics;
using System.Text;

namespace Orchest.Benchmarks.Measuring;

/// <summary>Runs a command to its end with output captured, timed from just before start to exit.</summary>
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
        return new ChildProcessResult(process.ExitCode, await stdout, await stderr, clock.Elapsed);
    }
}

/// <summary>What a finished command printed and how long it took.</summary>
public sealed record ChildProcessResult(int ExitCode, string Output, string Error, TimeSpan Elapsed)
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

using System.Diagnostics;

namespace Orchest.Runners.Process;

/// <summary>
/// Runs a build command to its end, collecting its output lines, in its own process group so that a
/// stopped step takes the build (and the compiler it started) with it.
/// </summary>
internal static class BuildProcess
{
    private static readonly string? Setsid = Executables.Find("setsid");

    /// <summary>The exit code and output (stdout and stderr, in arrival order); null exit code when cancelled.</summary>
    public static async Task<(int? ExitCode, IReadOnlyList<string> Output)> RunAsync(
        string program, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo
        {
            FileName = Setsid ?? program,
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Setsid is not null)
        {
            start.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new List<string>();
        using var process = new System.Diagnostics.Process { StartInfo = start };
        process.Start();
        process.StandardInput.Close();
        var pumps = new[] { CollectAsync(process.StandardOutput, output), CollectAsync(process.StandardError, output) };
        await using (cancellationToken.Register(() => Stop(process, Setsid is null ? null : process.Id)))
        {
            await process.WaitForExitAsync(CancellationToken.None);
        }

        if (Setsid is not null && Signals.IsGroupAlive(process.Id))
        {
            Signals.SendGroup(process.Id, Signals.SigKill);
        }

        await Task.WhenAll(pumps);
        return (cancellationToken.IsCancellationRequested ? null : process.ExitCode, output);
    }

    private static void Stop(System.Diagnostics.Process process, int? groupId)
    {
        if (groupId is { } group)
        {
            // A build holds no state worth a graceful stop: the cache entry is only marked built on success.
            Signals.SendGroup(group, Signals.SigKill);
            return;
        }

        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static async Task CollectAsync(StreamReader reader, List<string> output)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (output)
            {
                output.Add(line);
            }
        }
    }
}

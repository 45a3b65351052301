using System.Diagnostics;
using System.Text;

namespace Orchest.Cli.Tests.Support;

/// <summary>
/// The real built <c>orchest</c> executable started as a child process, so that tests can send it
/// the signals a user sends (Ctrl-C is SIGINT, <c>kill</c> is SIGTERM).
/// </summary>
internal sealed class OrchestProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private OrchestProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The apphost beside this test assembly (copied from the CLI project), else the CLI's own build output.</summary>
    public static string BinaryPath { get; } = FindBinary();

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public static OrchestProcess Start(params string[] args) => Start(args, workingDirectory: null);

    /// <summary>Starts the CLI in <paramref name="workingDirectory"/> (default: this process's) with extra environment variables.</summary>
    public static OrchestProcess Start(string[] args, string? workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        // Through env(1), which gives SIGINT its default handling before it execs the CLI (same pid): a test
        // runner started as a background job of a script inherits SIGINT ignored, and a process that starts
        // with SIGINT ignored keeps ignoring it (.NET and Python alike), so the SIGINT tests would test nothing.
        var start = new ProcessStartInfo("/usr/bin/env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add(BinaryPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var started = new OrchestProcess(process);
        process.OutputDataReceived += (_, e) => Append(started._output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(started._error, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Sends a signal by name ("TERM", "INT") through kill(1), as a user would.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>The exit code, or null when the process did not end within <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        // Drains the asynchronous readers.
        await _process.WaitForExitAsync(CancellationToken.None);
        return _process.ExitCode;
    }

    public override string ToString() => $"--- stdout\n{Output}\n--- stderr\n{Error}";

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            // A failed test must not leave the CLI (or its steps, still its children) behind.
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.Append(line).Append('\n');
        }
    }

    private static string FindBinary()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "orchest");
        if (File.Exists(beside))
        {
            return beside;
        }

        var built = Directory.Exists(Path.Combine(Repository.Root, "functions", "Orchest.Cli", "bin"))
            ? Directory.EnumerateFiles(Path.Combine(Repository.Root, "functions", "Orchest.Cli", "bin"), "orchest", SearchOption.AllDirectories)
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .FirstOrDefault()
            : null;
        return built ?? throw new InvalidOperationException($"The orchest executable is neither in {AppContext.BaseDirectory} nor under functions/Orchest.Cli/bin; build the CLI.");
    }
}

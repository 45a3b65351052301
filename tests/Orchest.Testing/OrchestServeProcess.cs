using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Orchest.Testing;

/// <summary>
/// A real <c>orchest serve</c> host process on a free loopback port, its stdout and stderr captured.
/// Stopped with SIGTERM (then SIGKILL of its whole process tree) on dispose, so a failed test leaves
/// neither the host nor the steps it started behind. <see cref="KillAsync"/> is the crash a test simulates.
/// </summary>
public sealed class OrchestServeProcess : IAsyncDisposable
{
    private static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    // Inherited settings that would silently override what a test gives the host.
    private static readonly string[] Scrubbed = ["AzureWebJobsStorage", "ORCHEST_API_KEY"];

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private string? _exit;

    private OrchestServeProcess(string name, int port, Process process)
    {
        Name = name;
        Port = port;
        _process = process;
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>The host's process id (its steps run in their own process groups below it).</summary>
    public int Pid { get; private set; }

    public bool HasExited => _process.HasExited;

    /// <summary>The host's exit code once it exited (0: stopped cleanly by SIGTERM), else null.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>When the host exited (local time), else null.</summary>
    public DateTime? ExitTime => _process.HasExited ? _process.ExitTime : null;

    /// <summary>Everything the host wrote to stdout and stderr so far.</summary>
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

    /// <summary>
    /// Starts <c>orchest serve --urls http://127.0.0.1:&lt;free port&gt; <paramref name="arguments"/></c> and waits
    /// until <c>/api/health</c> answers. <paramref name="environment"/> values of null remove a variable.
    /// </summary>
    public static async Task<OrchestServeProcess> StartAsync(
        string name,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        TimeSpan? startTimeout = null)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var host = Start(name, FreePort.Next(), arguments, environment, workingDirectory);
            try
            {
                await host.WaitHealthyAsync(startTimeout ?? DefaultStartTimeout);
                return host;
            }
            catch (InvalidOperationException ex) when (host.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                // The free port was taken between picking and binding: try another.
                last = ex;
                await host.DisposeAsync();
            }
            catch
            {
                await host.DisposeAsync();
                throw;
            }
        }

        throw new InvalidOperationException($"host {name} found no free port after 3 attempts", last);
    }

    /// <summary>An HTTP client for this host, sending <paramref name="apiKey"/> as <c>x-functions-key</c> when given.</summary>
    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(100) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("x-functions-key", apiKey);
        }

        return client;
    }

    /// <summary>
    /// Waits up to <paramref name="limit"/> for the host to exit by itself; true once it did and all it wrote was read
    /// (the process can end before its last lines reach <see cref="Output"/>).
    /// </summary>
    public async Task<bool> ExitedWithinAsync(TimeSpan limit)
    {
        using var wait = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL of the host process only (a machine losing power): its step processes, in their own groups, may live on.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            await SignalAsync(_process.Id, "KILL");
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then SIGKILL of the whole process tree if it did not stop in time.</summary>
    public async Task StopAsync()
    {
        try
        {
            if (_process.HasExited)
            {
                return;
            }

            await SignalAsync(_process.Id, "TERM");
            using var wait = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _exit = Exit();
        _process.Dispose();
    }

    /// <summary>Sends <paramref name="signal"/> to a process, or to a process group when <paramref name="pid"/> is negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// 0, -1, 1, or this process's own group: kill(2) would take the test run itself (and whatever started it) down.
    /// </exception>
    public static async Task SignalAsync(int pid, string signal)
    {
        if (pid is 0 or 1 or -1 || -pid == OwnProcessGroup())
        {
            throw new ArgumentOutOfRangeException(nameof(pid), pid, "Refusing to signal this process's own group, every process, or init.");
        }

        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal, "--", pid.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        await kill.StandardError.ReadToEndAsync();
        await kill.WaitForExitAsync();
    }

    /// <summary>This process's group, from /proc/self/stat (the field after state and ppid, past the command name).</summary>
    private static int OwnProcessGroup()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[2], CultureInfo.InvariantCulture);
    }

    public override string ToString() => $"--- host {Name} (pid {Pid}, port {Port}{_exit ?? Exit()})\n{Output}";

    private string Exit() => _process.HasExited ? $", exited with {_process.ExitCode} at {_process.ExitTime:HH:mm:ss.fff}" : "";

    private static OrchestServeProcess Start(
        string name, int port, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment, string? workingDirectory)
    {
        var start = new ProcessStartInfo(OrchestBinary.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in (string[])["serve", "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => Scrubbed.Contains(k) || k.StartsWith("Orchest__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = start };
        var host = new OrchestServeProcess(name, port, process);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Start();
        host.Pid = process.Id;
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"host {Name} exited with {_process.ExitCode} before it served /api/health:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync("api/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"host {Name} did not answer /api/health within {timeout.TotalSeconds:0} s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Append(line).Append('\n');
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Orchest.Testing;

/// <summary>
/// Azurite for a test run (xunit collection fixture): installed by <c>infra/local/azurite.sh</c> when
/// missing, started on free loopback ports with in-memory persistence (or on disk, <see cref="OnDisk"/>),
/// stopped on dispose (TERM, then KILL: Azurite may ignore TERM). When it cannot start, every test of the collection fails with the
/// reason: integration tests never skip silently. Tests isolate themselves by unique name prefixes.
/// Set <c>ORCHEST_TEST_AZURITE</c> to a connection string to use an Azurite that is already running.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>The documented, public key of Azurite's development account.</summary>
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _location;

    public string ConnectionString { get; private set; } = "";

    /// <summary>
    /// Keep data in a temp folder instead of memory (deleted on dispose). For long sessions of durable
    /// work: in memory, Azurite's purge of deleted queue messages can freeze it for a minute (DESIGN §10).
    /// </summary>
    public bool OnDisk { get; init; }

    /// <summary>Whether an Azurite named by <c>ORCHEST_TEST_AZURITE</c> is used (false: always start one, e.g. to stop it mid-test).</summary>
    public bool ReuseRunning { get; init; } = true;

    public async Task InitializeAsync()
    {
        if (ReuseRunning && Environment.GetEnvironmentVariable("ORCHEST_TEST_AZURITE") is { Length: > 0 } existing)
        {
            ConnectionString = existing;
            return;
        }

        var binary = await InstallAsync();
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            // Free ports are picked, then released for Azurite: another process may take one meanwhile, so retry.
            var (blob, queue, table) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
            try
            {
                await StartAsync(binary, blob, queue, table);
                ConnectionString =
                    $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};"
                    + $"BlobEndpoint=http://127.0.0.1:{blob}/{AccountName};QueueEndpoint=http://127.0.0.1:{queue}/{AccountName};"
                    + $"TableEndpoint=http://127.0.0.1:{table}/{AccountName};";
                return;
            }
            catch (InvalidOperationException ex)
            {
                last = ex;
                await StopAsync();
            }
        }

        throw new InvalidOperationException($"Azurite did not start after 3 attempts: {last?.Message}", last);
    }

    public Task DisposeAsync() => StopAsync();

    private static async Task<string> InstallAsync()
    {
        var script = Path.Combine(RepositoryRoot(), "infra", "local", "azurite.sh");
        var (exit, stdout, stderr) = await RunAsync("bash", script, TimeSpan.FromMinutes(5));
        var binary = stdout.Trim().Split('\n').LastOrDefault()?.Trim();
        if (exit != 0 || string.IsNullOrEmpty(binary) || !File.Exists(binary))
        {
            throw new InvalidOperationException(
                $"Azurite is not available: `{script}` exited with {exit}. Integration tests need Azurite (npm install azurite@3.37.0). {stderr.Trim()}");
        }

        return binary;
    }

    private async Task StartAsync(string binary, int blob, int queue, int table)
    {
        _location = Path.Combine(Path.GetTempPath(), "orchest-azurite", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(_location);
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,

            // On disk, its data folder; in memory (which refuses --location), a temp working directory
            // keeps anything it might still write out of the repository.
            WorkingDirectory = _location,
        };
        string[] persistence = OnDisk ? ["--location", _location] : ["--inMemoryPersistence"];
        foreach (var argument in (string[])
                 [
                     "--blobHost", "127.0.0.1", "--blobPort", $"{blob}",
                     "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
                     "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
                     .. persistence, "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--silent",
                 ])
        {
            start.ArgumentList.Add(argument);
        }

        _output.Clear();
        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {binary}");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with {_process.ExitCode}: {Output()}");
            }

            if (await ListensAsync(blob) && await ListensAsync(queue) && await ListensAsync(table))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"Azurite did not listen on 127.0.0.1:{blob},{queue},{table} within {StartTimeout.TotalSeconds:0} s: {Output()}");
    }

    private async Task StopAsync()
    {
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    await RunAsync("kill", $"-TERM {process.Id}", StopTimeout);
                    using var wait = new CancellationTokenSource(StopTimeout);
                    try
                    {
                        await process.WaitForExitAsync(wait.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        process.Kill(entireProcessTree: true);
                        await process.WaitForExitAsync();
                    }
                }
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }

            process.Dispose();
            _process = null;
        }

        if (_location is not null && Directory.Exists(_location))
        {
            Directory.Delete(_location, recursive: true);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.Length == 0 ? "(no output)" : _output.ToString().Trim();
        }
    }

    private static async Task<bool> ListensAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string file, string arguments, TimeSpan timeout)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"`{file} {arguments}` did not finish within {timeout.TotalSeconds:0} s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orchest.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Orchest.Functions.sln above {AppContext.BaseDirectory}: cannot find infra/local/azurite.sh");
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Orchest.Benchmarks.Measuring;
using Orchest.Benchmarks.Workloads;

namespace Orchest.Benchmarks.Contenders;

/// <summary>
/// One <c>orchest serve</c> host of one <see cref="ServedEngine"/> with every role (API, worker, timers)
/// on the Azurite the benchmark was given, <c>HostParallelism</c> = the benchmark's parallelism, its own
/// storage name prefix, started on first use and stopped (TERM, then KILL of its tree) at the end. Each
/// workload becomes one git repository registered once as a project; runs are started with
/// <c>POST /api/projects/{id}/runs</c> and followed with <c>GET /api/runs/{id}</c> (the same API in both
/// engines). Shared by the served contenders of its engine.
/// </summary>
/// <param name="engine">Which engine <paramref name="orchestPath"/> is (its settings and contender names).</param>
/// <param name="orchestPath">Its <c>orchest</c> binary; null when there is none (then <paramref name="notBuilt"/> says why).</param>
/// <param name="notBuilt">Why there is no binary, when the caller knows (e.g. the old engine's build failed).</param>
public sealed class ServedHost(ServedEngine engine, string? orchestPath, string? notBuilt, string? azuriteConnectionString, int parallelism) : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan GitTimeout = TimeSpan.FromSeconds(60);
    private const int KeptOutputLines = 40;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, string> _projects = new(StringComparer.Ordinal);
    private readonly Queue<string> _output = new();
    private readonly string _apiKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private readonly string _prefix = engine.PrefixStem + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private Process? _process;
    private HttpClient? _client;
    private DirectoryInfo? _root;
    private int _unavailableReads;
    private string? _notStarted;

    public ServedEngine Engine => engine;

    /// <summary>The running host's process id; null before it started or after it ended.</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    /// <summary>Null when served runs are possible; otherwise why not.</summary>
    public string? Unavailable =>
        string.IsNullOrEmpty(azuriteConnectionString) ? "no Azurite: run through infra/bench.sh or pass --azurite"
        : notBuilt is not null ? notBuilt
        : _notStarted is not null ? _notStarted
        : orchestPath is null ? "no binary"
        : File.Exists(orchestPath) ? null : $"{orchestPath} not built";

    public string Describe() =>
        $"one `orchest serve` host (roles api,worker,timers) of {engine.Describe(parallelism, orchestPath)}; on a local Azurite (on disk; shared with the other engine's host when both run, each under its own name prefix); projects are local git repositories";

    /// <summary>The registered project of <paramref name="workload"/> (its repository is written and committed the first time, then <c>New</c> is true).</summary>
    public async Task<(string Id, bool New)> ProjectAsync(Workload workload, CancellationToken cancellationToken)
    {
        var client = await StartAsync(cancellationToken);
        var key = workload.Name + "-" + workload.Steps.Count.ToString(CultureInfo.InvariantCulture);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_projects.TryGetValue(key, out var known))
            {
                return (known, false);
            }

            var repository = Path.Combine(_root!.FullName, "repositories", key);
            OrchestProject.Write(workload, repository);
            await File.WriteAllTextAsync(Path.Combine(repository, ".gitignore"), ".orchest/\n", cancellationToken);
            await GitAsync(repository, cancellationToken, "init", "-q", "-b", "main");
            await GitAsync(repository, cancellationToken, "add", "-A");
            await GitAsync(repository, cancellationToken, "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-q", "-m", key);
            using var response = await client.PostAsJsonAsync(
                "api/projects", new JsonObject { ["name"] = $"{key}-{_projects.Count + 1}", ["repository"] = repository, ["branch"] = "main" }, cancellationToken);
            var project = await ReadAsync(response, HttpStatusCode.Created, "register the project", cancellationToken);
            return (_projects[key] = (string)project["id"]!, true);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Posts a run; <c>Sent</c> is the wall clock right before the request left.</summary>
    public async Task<(string RunId, DateTimeOffset Sent)> StartRunAsync(string projectId, CancellationToken cancellationToken)
    {
        var client = await StartAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/projects/{projectId}/runs")
        {
            Content = JsonContent.Create(new JsonObject { ["pipeline"] = OrchestProject.PipelineFile }),
        };
        await request.Content.LoadIntoBufferAsync(cancellationToken);
        var sent = DateTimeOffset.UtcNow;
        using var response = await client.SendAsync(request, cancellationToken);
        var run = await ReadAsync(response, HttpStatusCode.Accepted, "start a run", cancellationToken);
        return ((string)run["id"]!, sent);
    }

    /// <summary>GET /api/runs/{id} answers that were 503 (storage unavailable) and retried.</summary>
    public int UnavailableReads => Volatile.Read(ref _unavailableReads);

    /// <summary>
    /// Polls until run <paramref name="runId"/> of project <paramref name="projectId"/> ended, and returns its record.
    /// The times come from the run record, not from when a poll saw it, so polls are spaced at 5% of the time
    /// waited so far (10 ms to 5 s). A poll reads the project's newest run from its run list (one index row, as
    /// raw-durabletask's poll reads one instance row); only once that shows the run ended, or shows another run,
    /// is the run itself read (every step row: on a 1,000-step run, polling that way cost Azurite ~2 ms of CPU per
    /// step, about a tenth of its work). A 503 (storage unavailable) is retried up to 5 times in a row and
    /// counted. A run that does not end in time or cannot be read is cancelled, so it does not load the machine
    /// during later scenarios.
    /// </summary>
    public async Task<JsonObject> WaitAsync(string projectId, string runId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var client = await StartAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        var unavailable = 0;
        try
        {
            while (true)
            {
                using (var listed = await client.GetAsync($"api/projects/{projectId}/runs?page_size=1", cancellationToken))
                {
                    var newest = IsUnavailable(listed, ref unavailable) ? null
                        : (await ReadAsync(listed, HttpStatusCode.OK, "list the project's runs", cancellationToken))["runs"]?.AsArray().FirstOrDefault();
                    if (newest is not null && ((string?)newest["id"] != runId || Ended(newest)))
                    {
                        using var response = await client.GetAsync($"api/runs/{runId}", cancellationToken);
                        if (!IsUnavailable(response, ref unavailable)
                            && await ReadAsync(response, HttpStatusCode.OK, "read the run", cancellationToken) is var run && Ended(run))
                        {
                            return run;
                        }
                    }
                }

                if (clock.Elapsed > timeout)
                {
                    throw new TimeoutException($"served run {runId} did not end within {timeout.TotalSeconds:0} s.");
                }

                await Task.Delay(TimeSpan.FromTicks(Math.Clamp(clock.Elapsed.Ticks / 20, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond * 5)), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            using var cancel = await client.DeleteAsync($"api/runs/{runId}", CancellationToken.None);
            throw;
        }
    }

    private static bool Ended(JsonNode run) => (string?)run["status"] is "SUCCESS" or "FAILURE" or "ABORTED";

    /// <summary>True for a 503 (storage unavailable) while fewer than 6 came in a row (counted); false otherwise, also resetting the row.</summary>
    private bool IsUnavailable(HttpResponseMessage response, ref int inARow)
    {
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable && ++inARow <= 5)
        {
            Interlocked.Increment(ref _unavailableReads);
            return true;
        }

        inARow = response.StatusCode == HttpStatusCode.ServiceUnavailable ? inARow : 0;
        return false;
    }

    /// <summary>A step's log text.</summary>
    public async Task<string> LogAsync(string runId, string stepUuid, CancellationToken cancellationToken)
    {
        var client = await StartAsync(cancellationToken);
        using var response = await client.GetAsync($"api/runs/{runId}/steps/{stepUuid}/logs", cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK
            ? text
            : throw new InvalidOperationException($"GET logs answered {(int)response.StatusCode}: {text}");
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
                    await kill.WaitForExitAsync();
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
        }

        try
        {
            _root?.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A step of a killed run may still be writing; the temp folder goes with the next reboot.
        }

        _gate.Dispose();
    }

    private async Task<HttpClient> StartAsync(CancellationToken cancellationToken)
    {
        if (_client is { } ready)
        {
            return ready;
        }

        if (Unavailable is { } why)
        {
            throw new InvalidOperationException(why);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_client is not null)
            {
                return _client;
            }

            _root ??= Directory.CreateTempSubdirectory("orchest-bench-served-");
            Exception? last = null;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var port = FreePort();
                var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"), Timeout = TimeSpan.FromMinutes(2) };
                client.DefaultRequestHeaders.Add("x-functions-key", _apiKey);
                Launch(port);
                try
                {
                    await WaitHealthyAsync(client, cancellationToken);
                    return _client = client;
                }
                catch (InvalidOperationException ex) when (Output().Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    // The free port was taken between picking and binding: try another.
                    last = ex;
                    client.Dispose();
                    _process!.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync(CancellationToken.None);
                }
                catch
                {
                    client.Dispose();
                    throw;
                }
            }

            throw new InvalidOperationException($"orchest serve found no free port after 3 attempts: {last?.Message}");
        }
        catch (InvalidOperationException ex) when (engine.StartFailureIsUnavailable)
        {
            // Not this checkout's failure: the rows of this engine read n/a with why (the whole text went to the progress output).
            var lines = ex.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var reason = lines.Length > 1 ? $"{lines[0]} … {lines[^1]}" : ex.Message;
            _notStarted = $"its host did not start: {(reason.Length > 300 ? reason[..300] + "…" : reason)}";
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Launch(int port)
    {
        var start = new ProcessStartInfo(orchestPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,

            // Its content root: no local.settings.json of the caller's folder is picked up.
            WorkingDirectory = _root!.FullName,
        };
        string[] arguments =
        [
            "serve", "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            $"--AzureWebJobsStorage={azuriteConnectionString}",
            $"--Orchest:Git:CacheDirectory={Path.Combine(_root.FullName, "git")}",
            $"--Orchest:Git:DataDirectory={Path.Combine(_root.FullName, "data")}",
            .. engine.Settings(_prefix, parallelism, Path.Combine(_root.FullName, "local")),
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => k is "AzureWebJobsStorage" || k.StartsWith("Orchest__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["ORCHEST_API_KEY"] = _apiKey;
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    private async Task WaitHealthyAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"orchest serve exited with {_process.ExitCode}: {Output()}");
            }

            try
            {
                using var response = await client.GetAsync("api/health", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new InvalidOperationException($"orchest serve did not answer /api/health within {StartTimeout.TotalSeconds:0} s: {Output()}");
    }

    private async Task<JsonObject> ReadAsync(HttpResponseMessage response, HttpStatusCode expected, string what, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{what}: the served host answered {(int)response.StatusCode}: {text} {Output()}");
        }

        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task GitAsync(string directory, CancellationToken cancellationToken, params string[] arguments) =>
        (await ChildProcess.RunAsync("git", arguments, directory, GitTimeout, cancellationToken)).EnsureSuccess("git " + arguments[0]);

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptOutputLines)
            {
                _output.Dequeue();
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.Count == 0 ? "" : "host output (last lines):\n" + string.Join('\n', _output);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

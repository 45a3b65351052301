using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Orchest.Testing;

namespace Orchest.Sdk.Tests;

/// <summary>
/// A real Azurite blob service for the SDK's blob tests (local to this project on purpose): started
/// once per collection on a free loopback port with in-memory storage, stopped on dispose (TERM,
/// then KILL: Azurite may ignore TERM). Installed by <c>infra/local/azurite.sh</c> when missing.
/// Containers are created with an account SAS; steps get service SAS tokens signed here by hand
/// (<see cref="ContainerSas"/>), as the engine signs them.
/// </summary>
public sealed class AzuriteBlobServer : IAsyncLifetime
{
    public const string Account = "devstoreaccount1";
    public const string SasVersion = "2021-08-06";

    /// <summary>Azurite's documented development key (public, not a secret).</summary>
    private static readonly byte[] AccountKey = Convert.FromBase64String(
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==");

    private static readonly HttpClient Http = new();
    private readonly StringBuilder _output = new();
    private Process? _process;

    public string Endpoint { get; private set; } = "";

    /// <summary>Why Azurite cannot run here, or null when it can (node and the install, or npm to install it).</summary>
    public static string? Unavailable()
    {
        if (FindOnPath("node") is null)
        {
            return "node is not installed";
        }

        return File.Exists(BinaryPath()) || FindOnPath("npm") is not null ? null : $"{BinaryPath()} is missing and npm is not installed";
    }

    public async Task InitializeAsync()
    {
        if (Unavailable() is not null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return; // every test is skipped (AzuriteFactAttribute)
        }

        var binary = BinaryPath();
        if (!File.Exists(binary))
        {
            using var install = Process.Start(new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot(), "infra", "local", "azurite.sh")]) { RedirectStandardOutput = true })!;
            await install.WaitForExitAsync();
        }

        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort.Next();
            try
            {
                await StartAsync(binary, port);
                Endpoint = $"http://127.0.0.1:{port}/{Account}";
                return;
            }
            catch (InvalidOperationException ex)
            {
                last = ex;
                await DisposeAsync();
            }
        }

        throw new InvalidOperationException($"Azurite did not start: {last?.Message}", last);
    }

    public async Task DisposeAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        try
        {
            if (!process.HasExited)
            {
                using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                {
                    await kill.WaitForExitAsync();
                }

                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
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

    /// <summary>A fresh container for one test.</summary>
    public async Task<BlobContainer> CreateContainerAsync()
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..20];
        using var response = await SendAsync(HttpMethod.Put, $"{Endpoint}/{name}?restype=container&{AccountSas()}");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return new BlobContainer(this, name);
    }

    /// <summary>
    /// A service SAS for a container (sr=c), version 2021-08-06, with the string-to-sign of versions
    /// 2020-12-06 and later: permissions, start, expiry, canonical resource, identifier, IP, protocol,
    /// version, resource, snapshot time, encryption scope, rscc, rscd, rsce, rscl, rsct.
    /// </summary>
    public static string ContainerSas(string container, string permissions)
    {
        var expiry = Expiry();
        var stringToSign = string.Join('\n',
            permissions, "", expiry, $"/blob/{Account}/{container}", "", "", "", SasVersion, "c", "", "", "", "", "", "", "");
        return $"sv={SasVersion}&sr=c&sp={permissions}&se={Uri.EscapeDataString(expiry)}&sig={Uri.EscapeDataString(Sign(stringToSign))}";
    }

    internal static async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, byte[]? body = null, string? blobType = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Add("x-ms-version", SasVersion);
        if (blobType is not null)
        {
            request.Headers.Add("x-ms-blob-type", blobType);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }

        return await Http.SendAsync(request);
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Orchest.Functions.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("The repository root (Orchest.Functions.sln) was not found.");
    }

    internal static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    private static string BinaryPath() => Path.Combine(RepositoryRoot(), ".tools", "azurite", "node_modules", ".bin", "azurite-blob");

    private static string AccountSas()
    {
        var expiry = Expiry();
        var stringToSign = string.Join('\n', Account, "rwdlac", "b", "sco", "", expiry, "", "", SasVersion, "", "");
        return $"sv={SasVersion}&ss=b&srt=sco&sp=rwdlac&se={Uri.EscapeDataString(expiry)}&sig={Uri.EscapeDataString(Sign(stringToSign))}";
    }

    private static string Expiry() => DateTime.UtcNow.AddHours(2).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Sign(string stringToSign) => Convert.ToBase64String(HMACSHA256.HashData(AccountKey, Encoding.UTF8.GetBytes(stringToSign)));

    private async Task StartAsync(string binary, int port)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in new[] { "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--blobHost", "127.0.0.1", "--blobPort", $"{port}" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {binary}");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with {_process.ExitCode}: {Output()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"Azurite did not listen on 127.0.0.1:{port}: {Output()}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString().Trim();
        }
    }
}

/// <summary>One test's container: locations for steps, and direct access to check what the SDK stored.</summary>
public sealed class BlobContainer(AzuriteBlobServer server, string name)
{
    public const string InputPermissions = "rl";
    public const string OutputPermissions = "rcwdl";

    private readonly string _adminSas = AzuriteBlobServer.ContainerSas(name, "racwdl");

    public string Name { get; } = name;

    public string Url => $"{server.Endpoint}/{Name}";

    public static string SetPrefix(string step) => $"outputs/proj/ppl/{step}/run-1/";

    public JsonObject Location(string prefix, string permissions, string? query = null) => new()
    {
        ["kind"] = "blob",
        ["container_url"] = Url,
        ["prefix"] = prefix,
        ["query"] = query ?? AzuriteBlobServer.ContainerSas(Name, permissions),
    };

    public JsonObject OutputOf(string step) => Location(SetPrefix(step), OutputPermissions);

    public JsonObject InputOf(string step) => Location(SetPrefix(step), InputPermissions);

    public async Task PutAsync(string blob, byte[] data)
    {
        using var response = await AzuriteBlobServer.SendAsync(HttpMethod.Put, $"{Url}/{Escape(blob)}?{_adminSas}", data, "BlockBlob");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public async Task<byte[]?> GetAsync(string blob)
    {
        using var response = await AzuriteBlobServer.SendAsync(HttpMethod.Get, $"{Url}/{Escape(blob)}?{_adminSas}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    public async Task<string[]> NamesAsync(string prefix)
    {
        using var response = await AzuriteBlobServer.SendAsync(HttpMethod.Get, $"{Url}?restype=container&comp=list&prefix={Uri.EscapeDataString(prefix)}&{_adminSas}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = XDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. page.Descendants("Blob").Select(b => b.Element("Name")!.Value).Order(StringComparer.Ordinal)];
    }

    public async Task<int> CommittedBlocksAsync(string blob)
    {
        using var response = await AzuriteBlobServer.SendAsync(HttpMethod.Get, $"{Url}/{Escape(blob)}?comp=blocklist&blocklisttype=committed&{_adminSas}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return XDocument.Parse(await response.Content.ReadAsStringAsync()).Descendants("CommittedBlocks").Elements("Block").Count();
    }

    private static string Escape(string blob) => string.Join('/', blob.Split('/').Select(Uri.EscapeDataString));
}

/// <summary>The tests that share one Azurite.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteBlobServer>
{
    public const string Name = "Azurite (SDK blob tests)";
}

/// <summary>
/// A fact that needs Azurite: skipped when node or the Azurite install is missing, except under
/// <c>CI=true</c>, where it runs (and fails with the reason).
/// </summary>
public sealed class AzuriteFactAttribute : FactAttribute
{
    public AzuriteFactAttribute()
    {
        if (AzuriteBlobServer.Unavailable() is { } reason && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = $"Azurite is not available: {reason}";
        }
    }
}

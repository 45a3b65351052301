using System.Diagnostics;
using System.Net;
using System.Text;

namespace Orchest.Testing;

/// <summary>
/// Serves the git repositories under a folder over smart HTTP (<c>git http-backend</c> as CGI behind an
/// <see cref="HttpListener"/> on a free loopback port), requiring HTTP Basic credentials.
/// </summary>
public sealed class GitHttpServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly string _projectRoot;
    private readonly string _expectedAuthorization;
    private int _unauthorized;

    public GitHttpServer(string projectRoot, string username, string password)
    {
        _projectRoot = projectRoot;
        _expectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
        (_listener, Port) = FreePort.StartHttpListener();
        _ = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    /// <summary>Requests answered 401 (no or wrong credentials).</summary>
    public int Unauthorized => Volatile.Read(ref _unauthorized);

    /// <summary>The URL of the repository in folder <paramref name="name"/> under the served root.</summary>
    public string Url(string name) => $"http://127.0.0.1:{Port}/{name}";

    /// <summary>Stops listening; the accept loop ends on its own.</summary>
    public void Dispose() => _listener.Close();

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            if (context.Request.Headers["Authorization"] != _expectedAuthorization)
            {
                Interlocked.Increment(ref _unauthorized);
                response.StatusCode = 401;
                response.AddHeader("WWW-Authenticate", "Basic realm=\"git\"");
                return;
            }

            await RunBackendAsync(context.Request, response);
        }
        catch (Exception e) when (e is IOException or HttpListenerException or InvalidOperationException)
        {
            response.StatusCode = 500;
        }
        finally
        {
            response.Close();
        }
    }

    private async Task RunBackendAsync(HttpListenerRequest request, HttpListenerResponse response)
    {
        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body);
        var start = new ProcessStartInfo("git", "http-backend")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["GIT_PROJECT_ROOT"] = _projectRoot;
        start.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
        start.Environment["REQUEST_METHOD"] = request.HttpMethod;
        start.Environment["PATH_INFO"] = request.Url!.AbsolutePath;
        start.Environment["QUERY_STRING"] = request.Url.Query.TrimStart('?');
        start.Environment["CONTENT_TYPE"] = request.ContentType ?? "";
        start.Environment["CONTENT_LENGTH"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["HTTP_CONTENT_ENCODING"] = request.Headers["Content-Encoding"] ?? "";
        start.Environment["REMOTE_USER"] = "tests";
        start.Environment["REMOTE_ADDR"] = "127.0.0.1";
        using var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        body.Position = 0;
        await body.CopyToAsync(process.StandardInput.BaseStream);
        process.StandardInput.Close();

        // CGI: header lines up to a blank line, then the body.
        var output = process.StandardOutput.BaseStream;
        var headers = new StringBuilder();
        var previous = -1;
        while (output.ReadByte() is var b and >= 0)
        {
            if (b == '\n' && previous == '\n')
            {
                break;
            }

            if (b != '\r')
            {
                headers.Append((char)b);
                previous = b;
            }
        }

        foreach (var line in headers.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (name, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                response.StatusCode = int.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                response.ContentType = value;
            }
            else if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                response.AddHeader(name, value);
            }
        }

        await output.CopyToAsync(response.OutputStream);
        await process.WaitForExitAsync();
    }
}

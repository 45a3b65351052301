using System.Net;
using System.Net.Sockets;

namespace Orchest.Testing;

/// <summary>Free loopback TCP ports (picked, then released: a caller retries if another process takes one meanwhile).</summary>
public static class FreePort
{
    private const int ListenerAttempts = 20;

    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// An <see cref="HttpListener"/> started on a free loopback port. A port another process took between its
    /// pick and the start ("Address already in use", seen in CI) is given up for a new one.
    /// </summary>
    public static (HttpListener Listener, int Port) StartHttpListener()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = Next();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < ListenerAttempts)
            {
                listener.Close();
            }
        }
    }
}

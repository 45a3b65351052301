using System.Net;
using System.Net.Sockets;

namespace Orchest.Testing;

/// <summary>Free loopback TCP ports (picked, then released: a caller retries if another process takes one meanwhile).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

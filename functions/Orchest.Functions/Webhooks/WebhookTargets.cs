using System.Net;
using System.Net.Sockets;
using Orchest.Engine.Webhooks;

namespace Orchest.Functions.Webhooks;

/// <summary>
/// Which URLs a webhook may point at: http(s) only, no credentials in the URL, and no address in the
/// host's own networks (loopback, link-local where cloud metadata lives, private ranges) unless the
/// configuration allows it. Checked when a subscription is created and again on every connection (the
/// name may resolve elsewhere later: DNS rebinding), so a webhook cannot be used to reach inside.
/// </summary>
public sealed class WebhookTargets(WebhookOptions options)
{
    public const int MaxUrlLength = 2000;

    /// <summary>Why <paramref name="url"/> is not a usable webhook URL by its form alone; null when it is.</summary>
    public static string? FormProblem(string? url, out Uri? parsed)
    {
        parsed = null;
        if (string.IsNullOrWhiteSpace(url))
        {
            return "\"url\" is required.";
        }

        if (url.Length > MaxUrlLength || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            return $"\"url\" is not an absolute URL (at most {MaxUrlLength} characters).";
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return $"\"url\" must be http or https, not {uri.Scheme}.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "\"url\" must not carry credentials (user:password@): they would be stored and shown; sign with the secret instead.";
        }

        parsed = uri;
        return null;
    }

    /// <summary>Why the host of <paramref name="url"/> may not be called (resolved now); null when every address it has is allowed.</summary>
    public async Task<string?> AddressProblemAsync(Uri url, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(url.IdnHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(url.IdnHost, cancellationToken);
        }
        catch (SocketException ex)
        {
            return $"\"url\" host {url.Host} cannot be resolved ({ex.SocketErrorCode}).";
        }

        if (addresses.Length == 0)
        {
            return $"\"url\" host {url.Host} has no address.";
        }

        return addresses.Select(Refusal).FirstOrDefault(r => r is not null) is { } refusal
            ? $"\"url\" host {url.Host} is refused: {refusal}."
            : null;
    }

    /// <summary>Why connecting to <paramref name="address"/> is refused; null when allowed.</summary>
    public string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast) || IsMulticast(address) || InRange(address, "0.0.0.0", 8))
        {
            return $"{address} is not a host address";
        }

        if (IPAddress.IsLoopback(address))
        {
            return options.AllowLoopback ? null : $"{address} is a loopback address (allow with {WebhookOptions.Section}:AllowLoopback)";
        }

        if (address.IsIPv6LinkLocal || InRange(address, "169.254.0.0", 16))
        {
            return options.AllowLinkLocal ? null : $"{address} is a link-local address (allow with {WebhookOptions.Section}:AllowLinkLocal)";
        }

        if (address.IsIPv6UniqueLocal || address.IsIPv6SiteLocal || InRange(address, "10.0.0.0", 8) || InRange(address, "172.16.0.0", 12)
            || InRange(address, "192.168.0.0", 16) || InRange(address, "100.64.0.0", 10))
        {
            return options.AllowPrivateNetworks ? null : $"{address} is in a private network (allow with {WebhookOptions.Section}:AllowPrivateNetworks)";
        }

        return null;
    }

    /// <summary>
    /// The connect step of the webhook HTTP client: resolves the host and connects to the first allowed
    /// address, so what was checked is what is called.
    /// </summary>
    /// <exception cref="HttpRequestException">Every address of the host is refused.</exception>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var refusals = new List<string>();
        Exception? failed = null;
        foreach (var address in addresses)
        {
            if (Refusal(address) is { } refusal)
            {
                refusals.Add(refusal);
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                failed = ex; // the next address may answer
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw failed is not null
            ? new HttpRequestException($"{host}:{context.DnsEndPoint.Port}: {failed.Message}", failed)
            : new HttpRequestException($"{host} is refused: {string.Join("; ", refusals.DefaultIfEmpty("no address"))}");
    }

    private static bool IsMulticast(IPAddress address) =>
        address.IsIPv6Multicast || (address.AddressFamily == AddressFamily.InterNetwork && InRange(address, "224.0.0.0", 4));

    private static bool InRange(IPAddress address, string network, int prefix)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        var value = BitConverter.ToUInt32(address.GetAddressBytes().Reverse().ToArray());
        var start = BitConverter.ToUInt32(IPAddress.Parse(network).GetAddressBytes().Reverse().ToArray());
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return (value & mask) == (start & mask);
    }
}

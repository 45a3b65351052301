using System.Net;

namespace Orchest.Runners.Docker.Services;

/// <summary>How served hosts start pipeline services (section <c>Orchest:Services</c>).</summary>
public sealed class ServiceOptions
{
    public const string Section = "Orchest:Services";

    /// <summary>
    /// The address steps reach services at (<c>internal_hostname</c>): the Docker host as the steps' hosts see
    /// it. 127.0.0.1 when steps run on the machine of the Docker Engine that runs the services.
    /// </summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>The Docker host's address service ports are published on (0.0.0.0: every interface).</summary>
    public string PublishAddress { get; set; } = "127.0.0.1";

    /// <summary>How long each service may take until its ports accept connections.</summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a docker host removes the service containers of runs that ended (what their own clean-up missed).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Every problem, each naming the setting to fix.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(AdvertisedAddress) || Uri.CheckHostName(AdvertisedAddress) == UriHostNameType.Unknown)
        {
            problems.Add($"{Section}:AdvertisedAddress \"{AdvertisedAddress}\" is not a host name or IP address.");
        }

        if (!IPAddress.TryParse(PublishAddress, out _))
        {
            problems.Add($"{Section}:PublishAddress \"{PublishAddress}\" is not an IP address (e.g. 127.0.0.1 or 0.0.0.0).");
        }

        if (ReadyTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:ReadyTimeout must be positive (e.g. 00:01:00).");
        }

        if (SweepInterval <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:SweepInterval must be positive (e.g. 00:05:00).");
        }

        return problems;
    }
}

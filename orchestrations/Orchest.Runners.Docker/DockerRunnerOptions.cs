using System.Globalization;

namespace Orchest.Runners.Docker;

/// <summary>
/// The container runner's settings (configuration section <c>Orchest:Runners:Docker</c>). A step may
/// override <see cref="Memory"/> and <see cref="Cpus"/> with a <c>"resources"</c> object in its
/// pipeline entry, e.g. <c>"resources": {"memory": "2g", "cpus": 1.5}</c>.
/// </summary>
public sealed class DockerRunnerOptions
{
    /// <summary>The Docker Engine API: <c>unix:///path.sock</c> or <c>tcp://host:port</c>; default <c>DOCKER_HOST</c>, else Docker's socket.</summary>
    public string Endpoint { get; set; } = DefaultEndpoint();

    /// <summary>Base image of steps without an environment (the step SDK is added to it like to any environment).</summary>
    public string DefaultImage { get; set; } = "orchest/base-kernel-py";

    /// <summary>
    /// Where a base image is looked for when its name is not on the Docker host, before a pull, e.g.
    /// <c>{"orchest/base-kernel-py": "orchest/base-kernel-py:local"}</c>. Besides these, an
    /// <c>orchest/&lt;name&gt;[:tag]</c> image falls back to <c>orchest/&lt;name&gt;:local</c> (what
    /// <c>infra/local/base-images.sh</c> builds).
    /// </summary>
    public Dictionary<string, string> ImageAliases { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Pull a base image that is not on the Docker host (a pull fails after a few seconds where no registry is reachable).</summary>
    public bool PullMissingImages { get; set; } = true;

    /// <summary>Interpreters inside the images, by step file kind.</summary>
    public string Python { get; set; } = "python3";

    public string Bash { get; set; } = "bash";
    public string Rscript { get; set; } = "Rscript";
    public string Julia { get; set; } = "julia";
    public string Node { get; set; } = "node";
    public string Dotnet { get; set; } = "dotnet";

    /// <summary>Memory limit of a step container, e.g. "2g", "512m" or bytes; null = no limit.</summary>
    public string? Memory { get; set; }

    /// <summary>CPU limit of a step container in CPUs (1.5 = one and a half); null = no limit.</summary>
    public double? Cpus { get; set; }

    /// <summary>Most processes in a step container; null = the engine's default.</summary>
    public long? PidsLimit { get; set; }

    /// <summary>Container network mode; "host" lets steps reach loopback services (Azurite, blob SAS URLs).</summary>
    public string NetworkMode { get; set; } = "host";

    /// <summary>Time between TERM and KILL when a step is stopped.</summary>
    public TimeSpan KillGracePeriod { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Run steps as the image's user (Orchest's images: jovyan, uid 1000). The run's working copy and
    /// data folder are then made writable for it (<c>chmod a+rwX</c>, <c>.git</c> excepted). False runs
    /// steps as this process's uid:gid and changes no file modes.
    /// </summary>
    public bool RunAsImageUser { get; set; } = true;

    /// <summary>Folder holding the Python step SDK package <c>orchest</c>; copied into every environment image.</summary>
    public string? PythonSdkPath { get; set; } = DefaultPythonSdkPath();

    /// <summary>Where environment image build logs are kept (<c>&lt;dir&gt;/&lt;image&gt;.log</c>).</summary>
    public string BuildLogDirectory { get; set; } = DefaultBuildLogDirectory();

    /// <summary>A build taking longer fails every step waiting for it.</summary>
    public TimeSpan BuildTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>After a build, untag the same environment's images of older content (setup script, base image or SDK changed).</summary>
    public bool PruneSupersededImages { get; set; } = true;

    /// <summary>A failed build is reported to later steps without building again for this long.</summary>
    public TimeSpan FailedBuildRetryAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The installation this runner's containers belong to (label <c>orchest.instance</c>); cleanup
    /// removes only containers of its own installation. Default: <c>ORCHEST_INSTANCE</c>, else
    /// <c>&lt;user&gt;@&lt;machine&gt;</c>. Give each deployment sharing a Docker host its own.
    /// </summary>
    public string Instance { get; set; } = InstallationIdentity.Default;

    /// <summary>Extra labels on every step container.</summary>
    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Problems with these settings, each saying what to set; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!DockerEndpoint.TryParse(Endpoint, out _, out var endpointProblem))
        {
            problems.Add($"Orchest:Runners:Docker:Endpoint: {endpointProblem}");
        }

        if (Memory is { } memory && !ResourceQuantity.TryParseMemory(memory, out _))
        {
            problems.Add($"Orchest:Runners:Docker:Memory \"{memory}\" is not a size such as \"512m\" or \"2g\".");
        }

        if (Cpus is <= 0 or > 1024 or double.NaN)
        {
            problems.Add($"Orchest:Runners:Docker:Cpus must be a number of CPUs above 0, got {Cpus?.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (KillGracePeriod < TimeSpan.Zero)
        {
            problems.Add("Orchest:Runners:Docker:KillGracePeriod must not be negative.");
        }

        if (BuildTimeout <= TimeSpan.Zero)
        {
            problems.Add("Orchest:Runners:Docker:BuildTimeout must be positive.");
        }

        if (string.IsNullOrWhiteSpace(Instance))
        {
            problems.Add("Orchest:Runners:Docker:Instance must name this installation (default: <user>@<machine>).");
        }

        if (string.IsNullOrWhiteSpace(DefaultImage))
        {
            problems.Add("Orchest:Runners:Docker:DefaultImage must name an image, e.g. \"orchest/base-kernel-py\".");
        }

        return problems;
    }

    private static string DefaultEndpoint() =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock";

    private static string? DefaultPythonSdkPath()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "sdk", "python");
        return Directory.Exists(Path.Combine(shipped, "orchest")) ? shipped : null;
    }

    private static string DefaultBuildLogDirectory()
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "orchest", "builds");
    }
}

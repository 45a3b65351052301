using System.Collections.Concurrent;
using System.Diagnostics;
using Docker.DotNet;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchest.Pipelines;

namespace Orchest.Runners.Docker;

/// <summary>
/// Environment images: found by content hash when present (a cache hit is two image look-ups), built
/// once otherwise. Builds of the same tag in this process share one task; another process building
/// the same content at the same time only re-tags an identical image. Build logs are kept per tag.
/// </summary>
public sealed partial class EnvironmentImages : IDisposable
{
    private readonly DockerClient _client;
    private readonly DockerRunnerOptions _options;
    private readonly ILogger _logger;
    private readonly BaseImages _baseImages;
    private readonly Lazy<PythonSdkFiles?> _sdk;
    private readonly ConcurrentDictionary<string, BuildEntry> _builds = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposed = new();
    private int _disposeCount;
    private int _buildCount;

    public EnvironmentImages(DockerClient client, DockerRunnerOptions options, ILogger<EnvironmentImages>? logger = null)
    {
        _client = client;
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _baseImages = new BaseImages(client, options);
        _sdk = new Lazy<PythonSdkFiles?>(() => PythonSdkFiles.Load(options.PythonSdkPath));
    }

    /// <summary>Builds this instance started (not cache hits, not builds it joined).</summary>
    public int BuildCount => Volatile.Read(ref _buildCount);

    /// <summary>
    /// The image for <paramref name="environment"/> (null: the default image plus the SDK), built when
    /// missing. Throws <see cref="EnvironmentImageException"/> when the base image is missing or the
    /// setup script fails; cancelling stops waiting, not a build other steps may share.
    /// </summary>
    public async Task<EnvironmentImage> ResolveAsync(EnvironmentDefinition? environment, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var recipe = EnvironmentRecipe.For(environment, _options);
        var sdk = _sdk.Value ?? throw new EnvironmentImageException(
            recipe.Key, recipe.BaseImage,
            $"The Python step SDK was not found at \"{_options.PythonSdkPath ?? "(not set)"}\" (a folder holding the package orchest/); "
            + "set Orchest:Runners:Docker:PythonSdkPath to sdk/python of this repository.",
            []);
        var baseImage = await _baseImages.ResolveAsync(recipe, cancellationToken);
        var context = new EnvironmentBuildContext(recipe, baseImage, sdk);
        if (await _baseImages.InspectAsync(context.Tag, cancellationToken) is { } cached)
        {
            return new EnvironmentImage(context.Tag, cached.Id, recipe.Key, context.Hash, Built: false, Stopwatch.GetElapsedTime(started), BuildLogPath(context.Tag));
        }

        // The tag is missing. A finished build in the table means the image was removed since: build again.
        var entry = _builds.AddOrUpdate(
            context.Tag,
            _ => new BuildEntry(),
            (_, existing) => existing.IsStale(_options.FailedBuildRetryAfter) ? new BuildEntry() : existing);
        var image = await entry.Run(() => BuildAsync(recipe, context, _disposed.Token), out var startedHere).WaitAsync(cancellationToken);
        return image with { Built = startedHere, LookupTime = Stopwatch.GetElapsedTime(started) };
    }

    /// <summary>Where the build log of <paramref name="tag"/> is kept (it exists once a build of that tag ran here).</summary>
    public string BuildLogPath(string tag) =>
        Path.Combine(_options.BuildLogDirectory, tag.Replace(':', '-').Replace('/', '_') + ".log");

    /// <summary>The build log of <paramref name="tag"/>, or null when this host never built it.</summary>
    public async Task<string?> ReadBuildLogAsync(string tag, CancellationToken cancellationToken = default)
    {
        var path = BuildLogPath(tag);
        return File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : null;
    }

    /// <summary>Build logs kept here for an environment (uuid, or "default"), newest first: what an API serves.</summary>
    public IReadOnlyList<string> BuildLogPaths(string environment)
    {
        var prefix = new EnvironmentRecipe(environment, "", "", "").Repository + "-";
        return Directory.Exists(_options.BuildLogDirectory)
            ? new DirectoryInfo(_options.BuildLogDirectory).EnumerateFiles(prefix + "*.log")
                .OrderByDescending(f => f.LastWriteTimeUtc)
                .Select(f => f.FullName)
                .ToList()
            : [];
    }

    /// <summary>Idempotent: a host's container keeps one runner under two registrations and disposes both.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposeCount, 1) != 0)
        {
            return;
        }

        _disposed.Cancel();
        _disposed.Dispose();
    }

    /// <summary>One build of one tag, started by the first caller that needs it and awaited by the others.</summary>
    private sealed class BuildEntry
    {
        private readonly object _gate = new();
        private Task<EnvironmentImage>? _task;
        private DateTime _finished = DateTime.MaxValue;

        public Task<EnvironmentImage> Run(Func<Task<EnvironmentImage>> build, out bool startedHere)
        {
            lock (_gate)
            {
                startedHere = _task is null;
                _task ??= Task.Run(async () =>
                {
                    try
                    {
                        return await build();
                    }
                    finally
                    {
                        _finished = DateTime.UtcNow;
                    }
                });
                return _task;
            }
        }

        /// <summary>Succeeded (yet the image is gone), or failed longer ago than <paramref name="retryAfter"/>.</summary>
        public bool IsStale(TimeSpan retryAfter)
        {
            lock (_gate)
            {
                return _task is { IsCompletedSuccessfully: true } || (_task is { IsFaulted: true } && DateTime.UtcNow - _finished > retryAfter);
            }
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Orchest.Runners.Docker;

/// <summary>The build itself: <c>POST /build</c> with an in-memory tar, output to the build log, failure from the last message.</summary>
public sealed partial class EnvironmentImages
{
    private const int TailLines = 20;

    private async Task<EnvironmentImage> BuildAsync(EnvironmentRecipe recipe, EnvironmentBuildContext context, CancellationToken disposing)
    {
        Interlocked.Increment(ref _buildCount);
        var started = Stopwatch.GetTimestamp();
        var logPath = BuildLogPath(context.Tag);
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var partial = $"{logPath}.{Guid.NewGuid():n}.tmp";
        Logs.BuildStarted(_logger, recipe.Key, context.Tag);

        var output = new BuildOutput(partial);
        using var closing = output;
        string? error = null;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(disposing))
        {
            timeout.CancelAfter(_options.BuildTimeout);
            output.Note($"{DateTimeOffset.UtcNow:O} building {context.Tag} for {recipe.Describe()}");
            foreach (var line in context.Dockerfile.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                output.Note(line);
            }

            try
            {
                using var tar = context.CreateTar();
                var parameters = new ImageBuildParameters { Tags = [context.Tag], Remove = true, ForceRemove = true };
                var progress = new SynchronousProgress<JSONMessage>(m =>
                {
                    output.Add(m.Stream ?? (m.Status is { } status ? status + "\n" : null));
                    if ((m.Error?.Message ?? m.ErrorMessage) is { Length: > 0 } message)
                    {
                        error = message;
                    }
                });
                await _client.Images.BuildImageFromDockerfileAsync(parameters, tar, null, null, progress, timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !disposing.IsCancellationRequested)
            {
                error = $"the build took longer than {_options.BuildTimeout} (Orchest:Runners:Docker:BuildTimeout)";
            }
            catch (DockerApiException ex)
            {
                error = ex.ResponseBody is { Length: > 0 } body ? body.Trim() : ex.Message;
            }
            finally
            {
                output.Complete(error);
                File.Move(partial, logPath, overwrite: true);
            }
        }

        if (error is null && await _baseImages.InspectAsync(context.Tag, CancellationToken.None) is { } built)
        {
            Logs.BuildSucceeded(_logger, recipe.Key, context.Tag, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (_options.PruneSupersededImages)
            {
                await PruneSupersededAsync(recipe, context.Tag);
            }

            return new EnvironmentImage(context.Tag, built.Id, recipe.Key, context.Hash, Built: true, Stopwatch.GetElapsedTime(started), logPath);
        }

        error ??= "the build ended without an error but the image is missing";
        Logs.BuildFailed(_logger, recipe.Key, context.Tag, error);
        await PruneFailedLayersAsync(recipe);
        var exit = ExitStatus().Match(error);
        var what = exit.Success && recipe.SetupScript.Trim().Length > 0
            ? $"setup_script.sh failed with exit status {int.Parse(exit.Groups[1].Value, CultureInfo.InvariantCulture)}"
            : error;
        var tail = output.Tail(TailLines);
        // The step log gets the tail itself; the message (shown beside it, and alone in a run record)
        // names only the script's last line, which usually says why (the last tail line is the error above).
        var last = tail.LastOrDefault(l => l.Trim().Length > 0 && !l.StartsWith(BuildOutput.ErrorPrefix, StringComparison.Ordinal));
        throw new EnvironmentImageException(
            recipe.Key,
            context.Tag,
            $"The image of {recipe.Describe()} could not be built: {what}{(last is null ? "" : $" (last output: {last.Trim()})")}. Build log: {logPath}",
            tail,
            logPath);
    }

    /// <summary>
    /// Untags the environment's images of older content (another setup script, base image or SDK);
    /// an image a container still uses stays. Their layers are freed once nothing else uses them.
    /// </summary>
    private async Task PruneSupersededAsync(EnvironmentRecipe recipe, string currentTag)
    {
        try
        {
            var images = await _client.Images.ListImagesAsync(
                new ImagesListParameters
                {
                    Filters = new Dictionary<string, IDictionary<string, bool>>
                    {
                        ["label"] = new Dictionary<string, bool> { [$"{EnvironmentBuildContext.EnvironmentLabel}={recipe.Key}"] = true },
                    },
                },
                CancellationToken.None);
            var repository = recipe.Repository + ":";
            var superseded = images.SelectMany(i => i.RepoTags ?? [])
                .Select(t => t.StartsWith("docker.io/library/", StringComparison.Ordinal) ? t["docker.io/library/".Length..] : t)
                .Where(t => t.StartsWith(repository, StringComparison.Ordinal) && t != currentTag)
                .Distinct(StringComparer.Ordinal);
            foreach (var tag in superseded)
            {
                try
                {
                    await _client.Images.DeleteImageAsync(tag, new ImageDeleteParameters { Force = false }, CancellationToken.None);
                }
                catch (DockerApiException)
                {
                    // In use by a container (or already gone): kept.
                }
            }
        }
        catch (DockerApiException)
        {
            // Best effort: an old image costs disk, not correctness.
        }
    }

    /// <summary>A failed build leaves its last layer untagged; each retry would add one more.</summary>
    private async Task PruneFailedLayersAsync(EnvironmentRecipe recipe)
    {
        try
        {
            await _client.Images.PruneImagesAsync(
                new ImagesPruneParameters
                {
                    Filters = new Dictionary<string, IDictionary<string, bool>>
                    {
                        ["dangling"] = new Dictionary<string, bool> { ["true"] = true },
                        ["label"] = new Dictionary<string, bool> { [$"{EnvironmentBuildContext.EnvironmentLabel}={recipe.Key}"] = true },
                    },
                },
                CancellationToken.None);
        }
        catch (DockerApiException)
        {
            // Best effort: a leftover layer costs disk, not correctness.
        }
    }

    [GeneratedRegex(@"exit status (\d+)")]
    private static partial Regex ExitStatus();
}

using Docker.DotNet;
using Docker.DotNet.Models;

namespace Orchest.Runners.Docker;

/// <summary>
/// Finds an environment's base image on the Docker host: as named, then through the configured
/// aliases and the <c>orchest/&lt;name&gt;:local</c> convention, then by a pull. Look-ups come first
/// because a pull always asks a registry (seconds, and a failure where none is reachable).
/// </summary>
internal sealed class BaseImages(DockerClient client, DockerRunnerOptions options)
{
    public async Task<ResolvedImage> ResolveAsync(EnvironmentRecipe recipe, CancellationToken cancellationToken)
    {
        var candidates = Candidates(recipe.BaseImage);
        foreach (var name in candidates)
        {
            if (await InspectAsync(name, cancellationToken) is { } found)
            {
                return found;
            }
        }

        var pullError = "pulling is off (PullMissingImages = false)";
        if (options.PullMissingImages)
        {
            pullError = await PullAsync(recipe.BaseImage, cancellationToken);
            if (pullError is null && await InspectAsync(recipe.BaseImage, cancellationToken) is { } pulled)
            {
                return pulled;
            }

            pullError ??= "the pull reported no error but the image is still missing";
        }

        var hint = recipe.BaseImage.StartsWith("orchest/base-kernel-py", StringComparison.Ordinal)
            ? "build it with infra/local/base-images.sh (no registry needed)"
            : $"pull it on the Docker host (docker pull {recipe.BaseImage}) or build it there";
        throw new EnvironmentImageException(
            recipe.Key,
            recipe.BaseImage,
            $"Base image \"{recipe.BaseImage}\" of {recipe.Describe()} is not on the Docker host ({options.Endpoint}; looked for "
            + $"{string.Join(", ", candidates)}) and could not be pulled: {pullError}. To fix: {hint}, or set the environment's base_image "
            + "to an image the host has.",
            []);
    }

    public async Task<ResolvedImage?> InspectAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var image = await client.Images.InspectImageAsync(name, cancellationToken);
            return new ResolvedImage(name, image.ID, image.Config?.Env?.ToList() ?? []);
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }

    private List<string> Candidates(string baseImage)
    {
        var candidates = new List<string> { baseImage };
        var repository = Repository(baseImage);
        foreach (var key in new[] { baseImage, repository })
        {
            if (options.ImageAliases.TryGetValue(key, out var alias))
            {
                candidates.Add(alias);
            }
        }

        if (repository.StartsWith("orchest/", StringComparison.Ordinal))
        {
            candidates.Add(repository + ":local");
        }

        return candidates.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The image name without its tag or digest ("orchest/base-kernel-py:v1" -> "orchest/base-kernel-py").</summary>
    private static string Repository(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var name = at >= 0 ? image[..at] : image;
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }

    /// <summary>Null when the pull succeeded, else the registry's error (reported inside a 200 stream).</summary>
    private async Task<string?> PullAsync(string image, CancellationToken cancellationToken)
    {
        string? error = null;
        var progress = new SynchronousProgress<JSONMessage>(m => error = m.Error?.Message ?? m.ErrorMessage ?? error);
        try
        {
            var repository = Repository(image);
            var tag = image.Length > repository.Length && image[repository.Length] == ':' ? image[(repository.Length + 1)..] : "latest";
            await client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tag }, null, progress, cancellationToken);
        }
        catch (DockerApiException ex)
        {
            error = ex.ResponseBody is { Length: > 0 } body ? body.Trim() : ex.Message;
        }

        return string.IsNullOrEmpty(error) ? null : error;
    }
}

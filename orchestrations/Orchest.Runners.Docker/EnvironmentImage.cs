namespace Orchest.Runners.Docker;

/// <summary>An environment's image on the Docker host.</summary>
/// <param name="Tag"><c>orchest-env-&lt;uuid prefix&gt;:&lt;content hash prefix&gt;</c>.</param>
/// <param name="ImageId">The image id the tag points at.</param>
/// <param name="Environment">The environment uuid ("default" for steps without one).</param>
/// <param name="Hash">The full content hash (base image id, Dockerfile, setup script, SDK files).</param>
/// <param name="Built">True when this call started the build; false on a cache hit or when it joined another caller's build.</param>
/// <param name="LookupTime">Time to find it: base image and tag look-ups (and the build, when there was one).</param>
/// <param name="BuildLogPath">Where this host keeps the build log of <paramref name="Tag"/> (absent when another host built it).</param>
public sealed record EnvironmentImage(string Tag, string ImageId, string Environment, string Hash, bool Built, TimeSpan LookupTime, string BuildLogPath);

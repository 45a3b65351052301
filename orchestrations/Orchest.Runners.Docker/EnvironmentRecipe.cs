using Orchest.Pipelines;

namespace Orchest.Runners.Docker;

/// <summary>What an environment image is made of: a base image and a setup script (the step SDK is always added).</summary>
/// <param name="Key">The environment uuid, or "default" for steps without an environment.</param>
/// <param name="DisplayName">The environment's name.</param>
/// <param name="BaseImage">The image named in properties.json (or the runner's default image).</param>
/// <param name="SetupScript">setup_script.sh ("" when there is none).</param>
internal sealed record EnvironmentRecipe(string Key, string DisplayName, string BaseImage, string SetupScript)
{
    public const string DefaultKey = "default";

    public static EnvironmentRecipe For(EnvironmentDefinition? environment, DockerRunnerOptions options) =>
        environment is null
            ? new EnvironmentRecipe(DefaultKey, "default (no environment)", options.DefaultImage, "")
            : new EnvironmentRecipe(environment.Uuid, environment.Name, environment.BaseImage, environment.SetupScript);

    /// <summary>"Python 3" (7a5e3c1e), for messages.</summary>
    public string Describe() => Key == DefaultKey ? $"the default image {BaseImage}" : $"environment \"{DisplayName}\" ({ShortKey})";

    /// <summary>The image repository: <c>orchest-env-&lt;uuid prefix&gt;</c>.</summary>
    public string Repository => "orchest-env-" + ShortKey;

    private string ShortKey
    {
        get
        {
            var safe = new string(Key.ToLowerInvariant().Where(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-').ToArray()).Trim('-');
            return safe.Length == 0 ? "unnamed" : safe[..Math.Min(8, safe.Length)].TrimEnd('-');
        }
    }
}

namespace Orchest.Runners.Docker;

/// <summary>An environment image cannot be had: its base image is missing or its setup script failed.</summary>
public sealed class EnvironmentImageException : Exception
{
    public EnvironmentImageException(string environment, string image, string message, IReadOnlyList<string> logTail, string? buildLogPath = null)
        : base(message)
    {
        Environment = environment;
        Image = image;
        LogTail = logTail;
        BuildLogPath = buildLogPath;
    }

    /// <summary>The environment uuid ("default" for steps without one).</summary>
    public string Environment { get; }

    /// <summary>The base image that is missing, or the environment image that failed to build.</summary>
    public string Image { get; }

    /// <summary>The last lines of the build output (empty when nothing was built).</summary>
    public IReadOnlyList<string> LogTail { get; }

    public string? BuildLogPath { get; }
}

namespace Orchest.Runners.Process;

/// <summary>The local feed the .NET step SDK package is restored from, and the version it holds.</summary>
internal sealed record DotnetStepSdkFeed(string Directory, string Version)
{
    public const string VersionFileName = "orchest-sdk.version";

    /// <summary>The feed at <paramref name="directory"/>, or null (with the reason) when it is not usable.</summary>
    public static DotnetStepSdkFeed? Open(string? directory, out string? problem)
    {
        problem = null;
        if (string.IsNullOrEmpty(directory))
        {
            problem = "the .NET step SDK feed is not configured (a build of orchest ships it in sdk/dotnet/feed); set Orchest:Runners:Process:DotnetSdkFeed.";
            return null;
        }

        var full = Path.GetFullPath(directory);
        var versionFile = Path.Combine(full, VersionFileName);
        var version = File.Exists(versionFile) ? File.ReadAllText(versionFile).Trim() : "";
        if (version.Length == 0 || !File.Exists(Path.Combine(full, $"Orchest.Sdk.{version}.nupkg")))
        {
            problem = $"the .NET step SDK feed \"{full}\" has no {VersionFileName} naming an Orchest.Sdk package in it; rebuild orchest or set Orchest:Runners:Process:DotnetSdkFeed.";
            return null;
        }

        return new DotnetStepSdkFeed(full, version);
    }
}

namespace Orchest.Runners.Process;

/// <summary>
/// Environment of the <c>dotnet</c> processes that build and run C# steps: no telemetry, no banners or
/// first-run notices in the step log, and no build servers, which would outlive the step and be
/// stopped with its process group anyway. A step's own variables of the same names win.
/// </summary>
internal static class DotnetEnvironment
{
    public static IReadOnlyDictionary<string, string> Variables { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE"] = "1",
        ["DOTNET_GENERATE_ASPNET_CERTIFICATE"] = "false",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["MSBUILDTERMINALLOGGER"] = "off",
        ["UseSharedCompilation"] = "false",
        ["NUGET_XMLDOC_MODE"] = "skip",
    };
}

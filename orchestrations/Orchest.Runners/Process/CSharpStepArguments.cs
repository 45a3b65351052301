namespace Orchest.Runners.Process;

/// <summary>The <c>dotnet</c> command lines that build and run a cached C# step.</summary>
internal static class CSharpStepArguments
{
    /// <summary><c>dotnet build</c> of the copy: errors and warnings only, in the compiler's format.</summary>
    public static IReadOnlyList<string> Build(CSharpStepCacheEntry entry, DotnetStepSdkFeed feed, string propsFile) =>
        ["build", entry.SourceFile, .. Common(entry, feed, propsFile), "-nologo", "-v", "q", "-tl:off"];

    /// <summary>
    /// <c>dotnet run</c> of the copy, which finds the build up to date without starting MSBuild.
    /// <c>--file</c>, because the step's folder (the working directory) may hold a project file.
    /// </summary>
    public static IReadOnlyList<string> Run(CSharpStepCacheEntry entry, DotnetStepSdkFeed feed, string propsFile) =>
        ["run", "--file", entry.SourceFile, .. Common(entry, feed, propsFile)];

    // Everything here must be the same for build and run: a difference makes run build again. The SDK
    // version is a property (not only in the props file) because the up-to-date check sees properties.
    private static string[] Common(CSharpStepCacheEntry entry, DotnetStepSdkFeed feed, string propsFile) =>
    [
        "--artifacts-path", entry.ArtifactsDirectory,
        "--disable-build-servers",
        $"-p:DirectoryBuildPropsPath={propsFile}",
        $"-p:OrchestSdkVersion={feed.Version}",
        $"-p:RestoreAdditionalProjectSources={feed.Directory}",
    ];
}

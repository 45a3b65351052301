using System.Security.Cryptography;
using System.Text;

namespace Orchest.Runners.Process;

/// <summary>
/// The MSBuild file the runner passes as a C# step's Directory.Build.props: it references the step
/// SDK and imports its namespace, so a step file needs no directive or path. Written under a name
/// derived from its content, because <c>dotnet run</c>'s up-to-date check does not look at it.
/// </summary>
internal static class CSharpStepProps
{
    private const string Content = """
        <Project>
          <!-- Written by orchest's process runner: what every C# step builds with. -->
          <PropertyGroup>
            <!-- The step's copy lives in orchest's cache: nothing above it belongs to the step. -->
            <ImportDirectoryPackagesProps>false</ImportDirectoryPackagesProps>
            <ImportDirectoryBuildTargets>false</ImportDirectoryBuildTargets>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Orchest.Sdk" Version="[$(OrchestSdkVersion)]" />
            <Using Include="Orchest.Sdk" />
          </ItemGroup>
        </Project>

        """;

    /// <summary>A short hash of the content, part of every step's cache key.</summary>
    public static string Hash { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Content)))[..16];

    /// <summary>Writes the file below <paramref name="cacheDirectory"/> unless it is there, and returns its path.</summary>
    public static string Ensure(string cacheDirectory)
    {
        var path = Path.Combine(cacheDirectory, "props", Hash, "Orchest.Step.props");
        if (!File.Exists(path))
        {
            CacheFile.WriteOnce(path, Encoding.UTF8.GetBytes(Content));
        }

        return path;
    }
}

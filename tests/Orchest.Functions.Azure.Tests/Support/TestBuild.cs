using System.Reflection;

namespace Orchest.Functions.Azure.Tests.Support;

/// <summary>What the test project's build recorded: where the repository is, its configuration, the Bicep compiler.</summary>
public static class TestBuild
{
    public static string RepositoryRoot => Metadata("RepositoryRoot");

    public static string Configuration => Metadata("Configuration");

    /// <summary>The bicep binary of the Azure.Bicep.CommandLine package (its build props name it).</summary>
    public static string BicepPath => Metadata("BicepPath");

    /// <summary>CI=true: what a test needs must be there; nothing is skipped or made up on the fly.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static string Metadata(string key) =>
        typeof(TestBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The test assembly has no {key} metadata (see the .csproj).");
}

using System.Formats.Tar;

namespace Orchest.Runners.Docker.Tests;

public sealed class EnvironmentBuildContextTests
{
    private static readonly string SdkPath = Path.Combine(FindRepository(), "sdk", "python");

    [Fact]
    public void Tag_SameContent_IsTheSameAndChangesWithScriptOrBaseImage()
    {
        var sdk = PythonSdkFiles.Load(SdkPath)!;
        var recipe = new EnvironmentRecipe("7a5e3c1e-0c7b-4c4e-9d7e-3f2a1b0c9d11", "Python 3", "orchest/base-kernel-py", "echo hi\n");
        var baseImage = new ResolvedImage("orchest/base-kernel-py", "sha256:aaa", ["PATH=/usr/bin"]);

        var first = new EnvironmentBuildContext(recipe, baseImage, sdk);
        var again = new EnvironmentBuildContext(recipe, baseImage, sdk);
        var otherScript = new EnvironmentBuildContext(recipe with { SetupScript = "echo bye\n" }, baseImage, sdk);
        var otherBase = new EnvironmentBuildContext(recipe, baseImage with { Id = "sha256:bbb" }, sdk);

        Assert.Matches("^orchest-env-7a5e3c1e:[0-9a-f]{16}$", first.Tag);
        Assert.Equal(first.Tag, again.Tag);
        Assert.NotEqual(first.Tag, otherScript.Tag);
        Assert.NotEqual(first.Tag, otherBase.Tag);
    }

    [Fact]
    public void CreateTar_Environment_HoldsDockerfileScriptAndSdkWithSdkOnPythonPath()
    {
        var sdk = PythonSdkFiles.Load(SdkPath)!;
        var recipe = new EnvironmentRecipe("env", "E", "base", "pip install x\n");
        var context = new EnvironmentBuildContext(recipe, new ResolvedImage("base:local", "sha256:1", ["PYTHONPATH=/opt/lib"]), sdk);

        using var tar = context.CreateTar();
        using var reader = new TarReader(tar);
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
        }

        Assert.Contains("Dockerfile", names);
        Assert.Contains("setup_script.sh", names);
        Assert.Contains("orchest-sdk/orchest/__init__.py", names);
        Assert.DoesNotContain(names, n => n.Contains("__pycache__", StringComparison.Ordinal));
        Assert.StartsWith("FROM base:local\n", context.Dockerfile, StringComparison.Ordinal);
        Assert.Contains("ENV PYTHONPATH=/opt/orchest/sdk/python:/opt/lib\n", context.Dockerfile, StringComparison.Ordinal);
        Assert.Contains("RUN bash /opt/orchest/setup_script.sh\n", context.Dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_EmptySetupScript_HasNoRunStep()
    {
        var context = new EnvironmentBuildContext(
            new EnvironmentRecipe("default", "d", "base", "  \n"), new ResolvedImage("base", "sha256:1", []), PythonSdkFiles.Load(SdkPath)!);

        Assert.DoesNotContain("RUN", context.Dockerfile, StringComparison.Ordinal);
        Assert.StartsWith("orchest-env-default:", context.Tag, StringComparison.Ordinal);
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orchest.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}

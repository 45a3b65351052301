using System.Collections;
using Orchest.Local.Tests.Support;
using Orchest.Testing;

namespace Orchest.Local.Tests;

/// <summary>
/// The README's first command block, run as a new user runs it: in a clean clone of this repository
/// (its committed HEAD), with an empty HOME (so nothing installed before counts), from a shell with no
/// terminal. Only the NuGet package cache is shared, so the build does not download every package again.
/// </summary>
public sealed class ReadmeInstallTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("orchest-readme-").FullName;

    [CommandsFact("git", "dotnet", "bash")]
    public async Task FirstCommandBlock_CleanCloneAndEmptyHome_InstallsOrchestOnThePathAndRunsTheQuickstart()
    {
        var clone = Path.Combine(_temp, "clone");
        var home = Directory.CreateDirectory(Path.Combine(_temp, "home")).FullName;
        var environment = CleanEnvironment(home);
        var cloned = await Shell.RunAsync($"git clone --quiet '{OrchestBinary.RepositoryRoot()}' '{clone}'", _temp, environment, TimeSpan.FromMinutes(1));
        Assert.True(cloned.ExitCode == 0, cloned.ToString());
        var block = FirstBashBlock(File.ReadAllText(Path.Combine(clone, "README.md")), "## The two commands");

        // The block, then what a user checks next in the same shell.
        var result = await Shell.RunAsync(block + "\ncommand -v orchest\norchest --version\n", clone, environment, TimeSpan.FromMinutes(5));

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.TrimEnd('\n').Split('\n');
        Assert.StartsWith("0.1.0+", lines[^1], StringComparison.Ordinal);
        Assert.Equal(Path.Combine(home, ".dotnet", "tools", "orchest"), lines[^2]);
        // The build shows its progress (one line per project without a terminal) before the tool installs.
        var built = Array.FindIndex(lines, l => l.Contains("Orchest.Cli -> ", StringComparison.Ordinal));
        var installed = Array.FindIndex(lines, l => l.StartsWith("install: installed orchest 0.1.0-local.", StringComparison.Ordinal));
        Assert.True(built >= 0 && installed > built, result.ToString());
        Assert.Contains(lines, l => l.StartsWith("Run ", StringComparison.Ordinal) && l.Contains(" SUCCESS in ", StringComparison.Ordinal) && l.EndsWith("(quickstart.orchest)", StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', result.Output);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_temp, recursive: true);
        }
        catch (IOException)
        {
            // A step process of the quickstart may still be closing a file; the folder is in /tmp.
        }
    }

    /// <summary>The lines of the first <c>```bash</c> block after <paramref name="heading"/>.</summary>
    private static string FirstBashBlock(string readme, string heading)
    {
        var lines = readme.Split('\n').SkipWhile(l => l.TrimEnd() != heading).SkipWhile(l => l.TrimEnd() != "```bash").Skip(1).TakeWhile(l => l.TrimEnd() != "```").ToList();
        Assert.True(lines.Count > 0, $"README.md has no ```bash block under \"{heading}\"");
        return string.Join('\n', lines);
    }

    /// <summary>
    /// This process's environment with HOME replaced, dotnet's tool folders off the PATH, and none of
    /// the variables the test host's own MSBuild and VSTest set (a child build must find its own).
    /// </summary>
    private static Dictionary<string, string?> CleanEnvironment(string home)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name is "DOTNET_HOST_PATH" or "DOTNET_CLI_HOME" or "ORCHEST_TOOL_FEED")
            {
                environment[name] = null;
            }
        }

        var userHome = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(userHome, ".nuget", "packages");
        if (Directory.Exists(packages))
        {
            environment["NUGET_PACKAGES"] = packages;
        }

        environment["HOME"] = home;
        environment["PATH"] = string.Join(':', (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Where(p => !p.Contains(".dotnet/tools", StringComparison.Ordinal)));
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        return environment;
    }
}

using Orchest.Pipelines;
using Orchest.Runners.Process;
using Orchest.Testing;

namespace Orchest.Runners.Tests;

/// <summary>C# steps through the process runner with real <c>dotnet</c> builds, sharing one build cache.</summary>
[Collection(CSharpStepsCollection.Name)]
public sealed class CSharpStepTests(CSharpStepsFixture fixture) : IDisposable
{
    private readonly TempProject _project = new("csharp");
    private readonly List<TempProject> _copies = [];

    [Fact]
    public async Task RunAsync_CSharpStep_RunsInItsFolderWithParametersAndNoDotnetNoise()
    {
        _project.Write("steps/hello.cs", CSharpStepSources.Hello);
        // A project file next to the step must not be picked up instead of the step file.
        _project.Write("steps/unrelated.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />\n");
        await using var log = new MemoryStepLog();

        var exit = await new ProcessStepRunner(fixture.Options()).RunAsync(StepLaunches.For(_project, "steps/hello.cs", StepFileKind.CSharp), log);

        Assert.True(exit.Succeeded, log.Text);
        Assert.Equal([$"cwd={Path.Combine(_project.Root, "steps")}", "k=1", "telemetry=1 nologo=1"], log.Lines);
    }

    [Fact]
    public async Task RunAsync_StepThrows_StackTraceNamesTheProjectRelativeFile()
    {
        _project.Write("steps/hello.cs", CSharpStepSources.Hello);
        var launch = StepLaunches.For(_project, "steps/hello.cs", StepFileKind.CSharp);
        launch.Context.StepParameters["fail"] = true;
        await using var log = new MemoryStepLog();

        var exit = await new ProcessStepRunner(fixture.Options()).RunAsync(launch, log);

        Assert.NotEqual(0, exit.ExitCode);
        Assert.Contains(log.Lines, l => l.Contains("InvalidOperationException: asked to fail", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.EndsWith(" in steps/hello.cs:line 5", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.CacheDirectory, log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CompileError_FailsWithTheCompilersMessageAtTheProjectRelativePath()
    {
        _project.Write("steps/broken.cs", CSharpStepSources.CompileError);
        await using var log = new MemoryStepLog();

        var exit = await new ProcessStepRunner(fixture.Options()).RunAsync(StepLaunches.For(_project, "steps/broken.cs", StepFileKind.CSharp), log);

        const string error = "steps/broken.cs(2,14): error CS0029: Cannot implicitly convert type 'string' to 'int'";
        Assert.Equal(1, exit.ExitCode);
        Assert.Equal($"C# step steps/broken.cs failed to build: {error}", exit.Message);
        Assert.Contains(error, log.Lines);
        Assert.Equal(exit.Message, log.Lines[^1]);
        Assert.DoesNotContain("never printed", log.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.CacheDirectory, log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SameFileInNewWorkingCopies_IsBuiltOnceEvenWhenStartedTogether()
    {
        var source = CSharpStepSources.Hello + $"// {Guid.NewGuid():n}: a file no other test builds\n";
        var runner = new ProcessStepRunner(fixture.Options());
        var (first, second) = (NewCopy(source), NewCopy(source));

        var together = await Task.WhenAll(RunCopyAsync(runner, first), RunCopyAsync(runner, second));
        var entry = CacheEntry(source);
        var assembly = Path.Combine(entry.ArtifactsDirectory, "bin", "debug", "hello.dll");
        var builtAt = File.GetLastWriteTimeUtc(assembly);
        var third = await RunCopyAsync(runner, NewCopy(source));

        Assert.All(together.Append(third), r => Assert.True(r.Exit.Succeeded, r.Log));
        Assert.True(entry.IsBuilt);
        Assert.Equal(builtAt, File.GetLastWriteTimeUtc(assembly));
        Assert.Contains($"cwd={Path.Combine(_copies[2].Root, "steps")}", third.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_DotnetMissing_FailsWithExitCode127AndAClearMessage()
    {
        _project.Write("steps/hello.cs", CSharpStepSources.Hello);
        var options = fixture.Options();
        options.Dotnet = "dotnet-that-does-not-exist";
        await using var log = new MemoryStepLog();

        var exit = await new ProcessStepRunner(options).RunAsync(StepLaunches.For(_project, "steps/hello.cs", StepFileKind.CSharp), log);

        Assert.Equal(127, exit.ExitCode);
        Assert.Equal("Dotnet interpreter \"dotnet-that-does-not-exist\" was not found: install it or set Orchest:Runners:Process:Dotnet.", exit.Message);
        Assert.Equal([exit.Message!], log.Lines);
    }

    [Fact]
    public async Task RunAsync_SdkFeedMissing_FailsSayingWhatToSet()
    {
        _project.Write("steps/hello.cs", CSharpStepSources.Hello);
        var options = fixture.Options();
        options.DotnetSdkFeed = Path.Combine(_project.Root, "no-feed");
        options.CSharpCacheDirectory = Path.Combine(_project.Root, "cache");
        await using var log = new MemoryStepLog();

        var exit = await new ProcessStepRunner(options).RunAsync(StepLaunches.For(_project, "steps/hello.cs", StepFileKind.CSharp), log);

        Assert.Equal(1, exit.ExitCode);
        Assert.Equal(
            $"C# step cannot run: the .NET step SDK feed \"{options.DotnetSdkFeed}\" has no orchest-sdk.version naming an Orchest.Sdk package in it; rebuild orchest or set Orchest:Runners:Process:DotnetSdkFeed.",
            exit.Message);
        Assert.False(Directory.Exists(options.CSharpCacheDirectory));
    }

    [Fact]
    public async Task RunAsync_CacheCannotBeWritten_FailsSayingWhatToSet()
    {
        _project.Write("steps/hello.cs", CSharpStepSources.Hello);
        var options = fixture.Options();
        options.CSharpCacheDirectory = Path.Combine(_project.Write("not-a-folder", ""), "cache");
        await using var log = new MemoryStepLog();

        var exit = await new ProcessStepRunner(options).RunAsync(StepLaunches.For(_project, "steps/hello.cs", StepFileKind.CSharp), log);

        Assert.Equal(1, exit.ExitCode);
        Assert.StartsWith($"C# step cannot run: the build cache \"{options.CSharpCacheDirectory}\" cannot be written (", exit.Message, StringComparison.Ordinal);
        Assert.EndsWith("); set Orchest:Runners:Process:CSharpCacheDirectory.", exit.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _project.Dispose();
        _copies.ForEach(c => c.Dispose());
    }

    private TempProject NewCopy(string source)
    {
        var copy = new TempProject("csharp-copy");
        copy.Write("steps/hello.cs", source);
        _copies.Add(copy);
        return copy;
    }

    private static async Task<(Engine.Ports.StepExit Exit, string Log)> RunCopyAsync(ProcessStepRunner runner, TempProject copy)
    {
        await using var log = new MemoryStepLog();
        var exit = await runner.RunAsync(StepLaunches.For(copy, "steps/hello.cs", StepFileKind.CSharp), log);
        return (exit, log.Text);
    }

    private CSharpStepCacheEntry CacheEntry(string source)
    {
        var feed = DotnetStepSdkFeed.Open(fixture.Options().DotnetSdkFeed, out var problem) ?? throw new InvalidOperationException(problem);
        var file = _project.Write("steps/hello.cs", source);
        return CSharpStepCacheEntry.Create(fixture.CacheDirectory, _project.Root, file, feed.Version);
    }
}

using Orchest.Runners.Process;
using Orchest.Testing;

namespace Orchest.Runners.Tests;

/// <summary>The C# build cache's keys, paths, locks and log rewriting, without building anything.</summary>
public sealed class CSharpStepCacheTests : IDisposable
{
    private readonly TempProject _cache = new("csharp-cache");
    private readonly TempProject _first = new("copy");
    private readonly TempProject _second = new("copy");

    [Fact]
    public void Create_SameFileInTwoWorkingCopies_SharesOneEntryWithAnIdenticalCopy()
    {
        var a = CSharpStepCacheEntry.Create(_cache.Root, _first.Root, _first.Write("steps/x.cs", "Console.WriteLine(1);\n"), "1.0.0-a");
        var written = File.GetLastWriteTimeUtc(a.SourceFile);
        var b = CSharpStepCacheEntry.Create(_cache.Root, _second.Root, _second.Write("steps/x.cs", "Console.WriteLine(1);\n"), "1.0.0-a");

        Assert.Equal(a.SourceFile, b.SourceFile);
        Assert.Equal(Path.Combine(a.Root, "steps", "x.cs"), a.SourceFile);
        Assert.Equal("steps/x.cs", a.RelativePath);
        Assert.Equal("Console.WriteLine(1);\n", File.ReadAllText(b.SourceFile));
        Assert.Equal(written, File.GetLastWriteTimeUtc(b.SourceFile));
        Assert.False(b.IsBuilt);
    }

    [Fact]
    public void Create_ChangedFileOrSdkVersion_GetsANewEntry()
    {
        var file = _first.Write("steps/x.cs", "Console.WriteLine(1);\n");
        var original = CSharpStepCacheEntry.Create(_cache.Root, _first.Root, file, "1.0.0-a");
        var newSdk = CSharpStepCacheEntry.Create(_cache.Root, _first.Root, file, "1.0.0-b");
        var changed = CSharpStepCacheEntry.Create(_cache.Root, _first.Root, _first.Write("steps/x.cs", "Console.WriteLine(2);\n"), "1.0.0-a");

        Assert.Equal(3, new[] { original.Root, newSdk.Root, changed.Root }.Distinct().Count());
        Assert.Equal("Console.WriteLine(1);\n", File.ReadAllText(original.SourceFile));
    }

    [Fact]
    public void Create_RelativeProjectDirective_PointsAtTheProjectFromTheCopy()
    {
        var file = _first.Write("steps/x.cs", "#:project ../lib/Lib.csproj\n#:project /abs/Other.csproj\nConsole.WriteLine(Lib.Value);\n");

        var entry = CSharpStepCacheEntry.Create(_cache.Root, _first.Root, file, "1.0.0-a");

        Assert.Equal(
            $"#:project {Path.Combine(_first.Root, "lib", "Lib.csproj")}\n#:project /abs/Other.csproj\nConsole.WriteLine(Lib.Value);\n",
            File.ReadAllText(entry.SourceFile));
    }

    [Fact]
    public void MarkBuilt_MakesTheEntryBuilt()
    {
        var entry = CSharpStepCacheEntry.Create(_cache.Root, _first.Root, _first.Write("x.cs", "return;\n"), "1.0.0-a");

        entry.MarkBuilt();

        Assert.True(entry.IsBuilt);
        Assert.NotEqual(entry.ArtifactsDirectory, Path.GetDirectoryName(entry.BuiltMarker));
    }

    [Fact]
    public async Task AcquireAsync_LockHeld_WaitsUntilItIsReleased()
    {
        var path = Path.Combine(_cache.Root, "x.lock");
        var held = await CacheLock.AcquireAsync(path);

        var waiting = CacheLock.AcquireAsync(path);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        held.Dispose();
        using var next = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WriteLineAsync_LineNamingTheCachedCopy_NamesTheProjectFileInstead()
    {
        var root = Path.Combine(_cache.Root, "0123abcd");
        await using var inner = new MemoryStepLog();
        var log = new CachePathRewritingLog(inner, root);

        await log.WriteLineAsync($"{root}/steps/x.cs(3,5): error CS1002: ; expected [{root}/steps/x.cs]");
        await log.WriteLineAsync($"   at Program.<Main>$(String[] args) in {root}/steps/x.cs:line 3");

        Assert.Equal(["steps/x.cs(3,5): error CS1002: ; expected [steps/x.cs]", "   at Program.<Main>$(String[] args) in steps/x.cs:line 3"], inner.Lines);
    }

    [Fact]
    public void Open_FeedNotConfigured_SaysWhatToSet()
    {
        Assert.Null(DotnetStepSdkFeed.Open(null, out var problem));
        Assert.Equal("the .NET step SDK feed is not configured (a build of orchest ships it in sdk/dotnet/feed); set Orchest:Runners:Process:DotnetSdkFeed.", problem);
    }

    [Fact]
    public void Open_ShippedFeed_NamesAVersionWhosePackageIsThere()
    {
        var feed = DotnetStepSdkFeed.Open(new Process.ProcessRunnerOptions().DotnetSdkFeed, out var problem);

        Assert.True(feed is not null, problem);
        Assert.StartsWith("1.0.0-c", feed.Version, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(feed.Directory, $"Orchest.Sdk.{feed.Version}.nupkg")));
    }

    public void Dispose()
    {
        _cache.Dispose();
        _first.Dispose();
        _second.Dispose();
    }
}

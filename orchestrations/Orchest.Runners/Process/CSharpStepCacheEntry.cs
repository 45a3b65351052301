using System.Security.Cryptography;
using System.Text;

namespace Orchest.Runners.Process;

/// <summary>
/// Where one C# step file is built: <c>&lt;cache&gt;/&lt;key&gt;/&lt;relative path&gt;</c>, the key a
/// hash of the copy's content, the step SDK version and the runner's props. <c>dotnet run</c> keys its
/// build by the file's full path, so a copy at a stable path is built once however many working copies
/// of the project run it; a changed file gets a new key and a new build.
/// </summary>
internal sealed class CSharpStepCacheEntry
{
    private CSharpStepCacheEntry(string root, string relativePath)
    {
        Root = root;
        RelativePath = relativePath;
        SourceFile = Path.Combine(root, relativePath);
        var build = Path.Combine(root, ".build", relativePath);
        ArtifactsDirectory = build;
        BuiltMarker = build + ".built";
        LockFile = build + ".lock";
    }

    /// <summary>The key folder; its path is what the runner strips from compiler messages.</summary>
    public string Root { get; }

    /// <summary>The step file relative to the project root (as the user knows it).</summary>
    public string RelativePath { get; }

    /// <summary>The stable copy that <c>dotnet</c> builds and runs.</summary>
    public string SourceFile { get; }

    /// <summary>The build output of this copy alone (<c>--artifacts-path</c> must never be shared between files).</summary>
    public string ArtifactsDirectory { get; }

    /// <summary>Present once a build of the copy succeeded.</summary>
    public string BuiltMarker { get; }

    /// <summary>Held while the copy is built, so concurrent first runs build it once.</summary>
    public string LockFile { get; }

    public bool IsBuilt => File.Exists(BuiltMarker);

    /// <summary>The entry for <paramref name="stepFile"/>, its copy written when missing.</summary>
    public static CSharpStepCacheEntry Create(string cacheDirectory, string workspaceRoot, string stepFile, string sdkVersion)
    {
        var content = CSharpStepDirectives.ForCopy(File.ReadAllBytes(stepFile), Path.GetDirectoryName(Path.GetFullPath(stepFile))!);
        var key = Key(content, sdkVersion);
        var entry = new CSharpStepCacheEntry(Path.Combine(Path.GetFullPath(cacheDirectory), key), ProjectRelativePath(workspaceRoot, stepFile));
        if (!File.Exists(entry.SourceFile))
        {
            CacheFile.WriteOnce(entry.SourceFile, content);
        }

        return entry;
    }

    /// <summary>Marks the copy built (its build succeeded).</summary>
    public void MarkBuilt() => CacheFile.WriteOnce(BuiltMarker, []);

    private static string Key(byte[] content, string sdkVersion)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(content);
        hash.AppendData(Encoding.UTF8.GetBytes($"\n{sdkVersion}\n{CSharpStepProps.Hash}"));
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }

    private static string ProjectRelativePath(string workspaceRoot, string stepFile)
    {
        var relative = Path.GetRelativePath(workspaceRoot, stepFile);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? Path.GetFileName(stepFile)
            : relative;
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Orchest.Runners.Docker;

/// <summary>The Python step SDK (package <c>orchest</c>) as copied into environment images, and its content hash.</summary>
internal sealed class PythonSdkFiles
{
    private PythonSdkFiles(IReadOnlyList<(string Path, byte[] Content)> files, string hash)
    {
        Files = files;
        Hash = hash;
    }

    /// <summary>Paths relative to the SDK folder ("orchest/__init__.py"), in ordinal order.</summary>
    public IReadOnlyList<(string Path, byte[] Content)> Files { get; }

    /// <summary>SHA-256 (hex) of every path and content: a changed SDK makes new environment images.</summary>
    public string Hash { get; }

    /// <summary>Reads <c>&lt;sdkPath&gt;/orchest/**</c> (no bytecode caches); null when the package is not there.</summary>
    public static PythonSdkFiles? Load(string? sdkPath)
    {
        if (sdkPath is null || !Directory.Exists(Path.Combine(sdkPath, "orchest")))
        {
            return null;
        }

        var files = Directory.EnumerateFiles(Path.Combine(sdkPath, "orchest"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(sdkPath, f).Replace('\\', '/'))
            .Where(f => !f.Contains("__pycache__", StringComparison.Ordinal) && !f.EndsWith(".pyc", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => (f, File.ReadAllBytes(Path.Combine(sdkPath, f))))
            .ToList();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (path, content) in files)
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"{path}\n{content.Length}\n"));
            sha.AppendData(content);
        }

        return new PythonSdkFiles(files, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }
}

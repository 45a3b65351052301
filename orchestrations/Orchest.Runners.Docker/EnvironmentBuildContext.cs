using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;

namespace Orchest.Runners.Docker;

/// <summary>
/// The build of one environment image: a Dockerfile (<c>FROM</c> the base image, the step SDK on
/// <c>PYTHONPATH</c>, the setup script run as the image's user, as Orchest did) and its tag, a content
/// hash of (base image id, Dockerfile, setup script, SDK files). Same content, same tag, on any host.
/// </summary>
internal sealed class EnvironmentBuildContext
{
    /// <summary>Bump when the Dockerfile's shape changes, so old images are not reused.</summary>
    private const string RecipeVersion = "orchest-env/1";

    public const string SdkPath = "/opt/orchest/sdk/python";

    /// <summary>Image label with the environment uuid ("default" for steps without one).</summary>
    public const string EnvironmentLabel = "orchest.environment";
    private const string ScriptPath = "/opt/orchest/setup_script.sh";

    private readonly EnvironmentRecipe _recipe;
    private readonly PythonSdkFiles _sdk;

    public EnvironmentBuildContext(EnvironmentRecipe recipe, ResolvedImage baseImage, PythonSdkFiles sdk)
    {
        _recipe = recipe;
        _sdk = sdk;
        Dockerfile = BuildDockerfile(baseImage);
        Hash = ComputeHash(baseImage.Id);
        Tag = $"{recipe.Repository}:{Hash[..16]}";
    }

    public string Dockerfile { get; }

    public string Hash { get; }

    /// <summary><c>orchest-env-&lt;uuid prefix&gt;:&lt;hash prefix&gt;</c>.</summary>
    public string Tag { get; }

    /// <summary>The build context as an uncompressed tar in memory (the SDK is ~100 KB).</summary>
    public MemoryStream CreateTar()
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            Add(writer, "Dockerfile", Encoding.UTF8.GetBytes(Dockerfile));
            Add(writer, "setup_script.sh", Encoding.UTF8.GetBytes(_recipe.SetupScript));
            foreach (var (path, content) in _sdk.Files)
            {
                Add(writer, "orchest-sdk/" + path, content);
            }
        }

        tar.Position = 0;
        return tar;
    }

    private string BuildDockerfile(ResolvedImage baseImage)
    {
        var existing = baseImage.Env.FirstOrDefault(e => e.StartsWith("PYTHONPATH=", StringComparison.Ordinal))?["PYTHONPATH=".Length..];
        var pythonPath = string.IsNullOrEmpty(existing) ? SdkPath : $"{SdkPath}:{existing}";
        var text = new StringBuilder()
            .Append("FROM ").Append(baseImage.Name).Append('\n')
            // First, so the layers of a failed build carry it too and can be pruned by it.
            .Append("LABEL ").Append(EnvironmentLabel).Append("=\"").Append(_recipe.Key).Append("\"\n")
            .Append("COPY orchest-sdk/ ").Append(SdkPath).Append("/\n")
            .Append("ENV PYTHONPATH=").Append(pythonPath).Append('\n');
        if (_recipe.SetupScript.Trim().Length > 0)
        {
            // As in Orchest: the script runs as the image's user (jovyan, with passwordless sudo).
            text.Append("COPY setup_script.sh ").Append(ScriptPath).Append('\n')
                .Append("RUN bash ").Append(ScriptPath).Append('\n');
        }

        return text.ToString();
    }

    private string ComputeHash(string baseImageId)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in new[] { RecipeVersion, baseImageId, Dockerfile, _recipe.SetupScript, _sdk.Hash })
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            sha.AppendData(Encoding.UTF8.GetBytes($"{bytes.Length}\n"));
            sha.AppendData(bytes);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static void Add(TarWriter writer, string name, byte[] content)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(content, writable: false),
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            ModificationTime = DateTimeOffset.UnixEpoch,
        };
        writer.WriteEntry(entry);
    }
}

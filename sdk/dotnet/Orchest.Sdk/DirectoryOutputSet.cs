namespace Orchest.Sdk;

/// <summary>An output set in a local folder (location kind <c>dir</c>).</summary>
/// <param name="path">The output set folder.</param>
/// <param name="latestFile">
/// When set (Orchest-style runs without a context file), the <c>LATEST</c> file this SDK updates after
/// each output so the set is the step's latest; the engine does that itself otherwise.
/// </param>
internal sealed class DirectoryOutputSet(string path, string? latestFile = null) : OutputSetLocation
{
    // Large sequential payloads (Arrow tables): a big buffer keeps write calls few.
    private const int PayloadBufferSize = 1 << 20;

    public string Path { get; } = path;

    public override string Description => Path;

    public override async Task<IReadOnlyList<StoredOutputFile>?> ListAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Path))
        {
            return null;
        }

        var outputs = new List<StoredOutputFile>();
        var metaFiles = Directory.EnumerateFiles(Path, "*" + OutputFormat.MetaSuffix)
            .Where(f => f.EndsWith(OutputFormat.MetaSuffix, StringComparison.Ordinal)
                && !System.IO.Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal);
        foreach (var metaFile in metaFiles)
        {
            var fileName = System.IO.Path.GetFileName(metaFile);
            var stem = fileName[..^OutputFormat.MetaSuffix.Length];
            if (!File.Exists(PayloadPath(stem)))
            {
                continue;
            }

            try
            {
                outputs.Add(new StoredOutputFile(stem, await File.ReadAllBytesAsync(metaFile, cancellationToken)));
            }
            catch (FileNotFoundException)
            {
                // Replaced while listing (the producer output the name again): the new one is not complete yet.
            }
        }

        return outputs;
    }

    public override Task<Stream> OpenPayloadAsync(string stem, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(PayloadPath(stem), FileMode.Open, FileAccess.Read, FileShare.Read, PayloadBufferSize, FileOptions.SequentialScan));

    public override async Task WriteAsync(
        string stem,
        OutputMetadata metadata,
        Func<Stream, CancellationToken, Task> writePayload,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path);
        var payloadPath = PayloadPath(stem);
        var metaPath = System.IO.Path.Combine(Path, stem + OutputFormat.MetaSuffix);

        // The payload goes to a temporary file first, so a value that fails to serialise leaves an
        // earlier output under the same name untouched.
        var temporaryPayloadPath = TemporaryPath(payloadPath);
        long size;
        try
        {
            await using var payload = new FileStream(temporaryPayloadPath, FileMode.Create, FileAccess.Write, FileShare.None, PayloadBufferSize);
            await writePayload(payload, cancellationToken);
            await payload.FlushAsync(cancellationToken);
            size = payload.Length;
        }
        catch
        {
            File.Delete(temporaryPayloadPath);
            throw;
        }

        // The earlier metadata goes before its payload is replaced, so no reader pairs old metadata
        // with the new payload.
        File.Delete(metaPath);
        File.Move(temporaryPayloadPath, payloadPath, overwrite: true);
        // Stamped once the payload is complete, as the Python SDK does: readers order a set's outputs by it.
        await ReplaceAsync(metaPath, (metadata with { Size = size, Timestamp = DateTimeOffset.UtcNow }).ToUtf8Json(), cancellationToken);

        if (latestFile is not null)
        {
            await ReplaceAsync(latestFile, System.Text.Encoding.UTF8.GetBytes(System.IO.Path.GetFileName(Path)), cancellationToken);
        }
    }

    /// <summary>
    /// <c>.&lt;name&gt;.tmp-&lt;pid&gt;</c> next to the target, as the Python SDK names its temporary
    /// files: readers of either SDK skip dot-files, and the suffix never ends in <c>.meta.json</c>.
    /// </summary>
    private static string TemporaryPath(string target) =>
        System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(target)!,
            $".{System.IO.Path.GetFileName(target)}.tmp-{Environment.ProcessId}");

    private string PayloadPath(string stem) => System.IO.Path.Combine(Path, stem + OutputFormat.DataSuffix);

    /// <summary>Writes a temporary file next to the target and renames it over the target.</summary>
    private static async Task ReplaceAsync(string target, byte[] content, CancellationToken cancellationToken)
    {
        var temporary = TemporaryPath(target);
        await File.WriteAllBytesAsync(temporary, content, cancellationToken);
        File.Move(temporary, target, overwrite: true);
    }
}

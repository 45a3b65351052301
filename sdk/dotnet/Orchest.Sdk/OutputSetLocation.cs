using System.Text.Json;

namespace Orchest.Sdk;

/// <summary>
/// Where one output set lives (PROTOCOL.md §2 <c>location</c>): a local folder (<c>dir</c>,
/// <see cref="DirectoryOutputSet"/>) or a prefix of a blob container reached through a SAS (<c>blob</c>,
/// served mode, <see cref="BlobOutputSet"/>). Every read and write of output files goes through this
/// type, so a new kind is added here and nowhere else.
/// </summary>
internal abstract class OutputSetLocation
{
    /// <summary>
    /// Reads a <c>location</c>/<c>output</c> object of the context file; null for JSON null.
    /// <paramref name="owner"/> names whose set it is, for error messages.
    /// </summary>
    public static OutputSetLocation? FromContextJson(JsonElement element, string owner)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("kind", out var kindElement)
            || kindElement.ValueKind != JsonValueKind.String)
        {
            throw new FormatException($"The location of {owner} is not an object with a \"kind\" string.");
        }

        var kind = kindElement.GetString()!;
        if (kind == "dir")
        {
            if (!element.TryGetProperty("path", out var path) || path.ValueKind != JsonValueKind.String || path.GetString() is not { Length: > 0 } text)
            {
                throw new FormatException($"The \"dir\" location of {owner} has no \"path\".");
            }

            return new DirectoryOutputSet(Path.GetFullPath(text));
        }

        if (kind == "blob")
        {
            return BlobOutputSet.FromBlobJson(element, owner);
        }

        return new UnsupportedOutputSet(kind, owner);
    }

    /// <summary>A description for messages (a folder path, never a secret such as a SAS query).</summary>
    public abstract string Description { get; }

    /// <summary>
    /// The stems and metadata bytes of every output in the set whose metadata and payload both exist,
    /// ordered by stem; null when the set itself does not exist.
    /// </summary>
    public abstract Task<IReadOnlyList<StoredOutputFile>?> ListAsync(CancellationToken cancellationToken);

    /// <summary>Opens the payload of one output for reading; <see cref="FileNotFoundException"/> when it is gone.</summary>
    public abstract Task<Stream> OpenPayloadAsync(string stem, CancellationToken cancellationToken);

    /// <summary>
    /// Writes one output: payload first, then its metadata (with the payload size and the time of
    /// completion filled in) atomically (a temporary file and a rename, or one Put Blob), so a reader
    /// never sees metadata without a complete payload. An earlier metadata file of the stem is deleted
    /// before the new payload replaces the old one.
    /// </summary>
    public abstract Task WriteAsync(
        string stem,
        OutputMetadata metadata,
        Func<Stream, CancellationToken, Task> writePayload,
        CancellationToken cancellationToken);
}

/// <summary>One output found in a set: its file stem and the raw bytes of its metadata file.</summary>
internal sealed record StoredOutputFile(string Stem, byte[] MetadataJson);

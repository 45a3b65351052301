using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace Orchest.Sdk;

/// <summary>
/// An output set under a prefix of an Azure Blob Storage container, reached through a SAS (location
/// kind <c>blob</c>, served mode, PROTOCOL.md §2): file <c>F</c> of the set is the blob
/// <c>prefix + F</c>. Listing is List Blobs (XML, <c>NextMarker</c> paging); payloads are streamed
/// down with Get Blob (a dropped connection resumes with a range request) and up through a
/// <see cref="BlockUploadStream"/> (Put Blob for one block or less, otherwise Put Block + Put Block List).
/// </summary>
internal sealed class BlobOutputSet : OutputSetLocation
{
    /// <summary>Block size of payload uploads (8 MiB).</summary>
    public const int DefaultBlockSize = 8 * 1024 * 1024;

    private readonly string _containerUrl;
    private readonly string _query;

    public BlobOutputSet(Uri containerUrl, string prefix, string query)
    {
        var text = containerUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _containerUrl = text;
        Prefix = prefix.Length > 0 && !prefix.EndsWith('/') ? prefix + "/" : prefix;
        _query = query.TrimStart('?');
    }

    /// <summary>
    /// Tests only: a block size and a List Blobs page size for the current asynchronous flow, so a
    /// test can prove that blocks and paging are used without uploading gigabytes.
    /// </summary>
    internal static AsyncLocal<(int BlockSize, int? ListPageSize)?> TestOverrides { get; } = new();

    public string Prefix { get; }

    /// <summary>The container URL and prefix: never the SAS query.</summary>
    public override string Description => $"{_containerUrl}/{Prefix}";

    private static int BlockSize => TestOverrides.Value?.BlockSize ?? DefaultBlockSize;

    /// <summary>Reads a <c>{"kind": "blob", "container_url", "prefix", "query"}</c> location.</summary>
    public static BlobOutputSet FromBlobJson(JsonElement element, string owner)
    {
        var containerUrl = StringProperty(element, "container_url");
        var prefix = StringProperty(element, "prefix");
        var query = StringProperty(element, "query");
        if (containerUrl is not { Length: > 0 } || prefix is null || query is null)
        {
            throw new FormatException(
                $"The \"blob\" location of {owner} needs \"container_url\", \"prefix\" and \"query\" strings.");
        }

        if (!Uri.TryCreate(containerUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new FormatException($"The \"blob\" location of {owner} has a \"container_url\" that is not an http(s) URL.");
        }

        return new BlobOutputSet(uri, prefix, query);
    }

    public override async Task<IReadOnlyList<StoredOutputFile>?> ListAsync(CancellationToken cancellationToken)
    {
        var names = await ListNamesAsync(cancellationToken);
        if (names is null)
        {
            return null;
        }

        var outputs = new List<StoredOutputFile>();
        foreach (var name in names.Where(n => n.EndsWith(OutputFormat.MetaSuffix, StringComparison.Ordinal) && !n.StartsWith('.')).Order(StringComparer.Ordinal))
        {
            var stem = name[..^OutputFormat.MetaSuffix.Length];
            if (!names.Contains(stem + OutputFormat.DataSuffix))
            {
                continue;
            }

            try
            {
                using var response = await BlobRest.SendAsync(() => BlobRest.Request(HttpMethod.Get, BlobUri(name)), What("Get Blob", name), cancellationToken);
                outputs.Add(new StoredOutputFile(stem, await response.Content.ReadAsByteArrayAsync(cancellationToken)));
            }
            catch (FileNotFoundException)
            {
                // Replaced while listing (the producer output the name again): the new one is not complete yet.
            }
        }

        return outputs;
    }

    public override Task<Stream> OpenPayloadAsync(string stem, CancellationToken cancellationToken)
    {
        var name = stem + OutputFormat.DataSuffix;
        return BlobDownloadStream.OpenAsync(BlobUri(name), What("Get Blob", name), cancellationToken);
    }

    public override async Task WriteAsync(
        string stem,
        OutputMetadata metadata,
        Func<Stream, CancellationToken, Task> writePayload,
        CancellationToken cancellationToken)
    {
        var payloadName = stem + OutputFormat.DataSuffix;
        var metaName = stem + OutputFormat.MetaSuffix;

        // Full blocks go up (uncommitted, invisible) while the payload is written; nothing is
        // committed until it is complete, so a value that fails to serialise leaves an earlier
        // output under the same name untouched.
        await using var payload = new BlockUploadStream(BlobUri(payloadName), What("upload of", payloadName), BlockSize);
        await writePayload(payload, cancellationToken);
        await payload.UploadPendingBlocksAsync(cancellationToken);

        // The earlier metadata goes before its payload is replaced, so no reader pairs old metadata
        // with the new payload.
        await BlobRest.SendAndForgetAsync(() => BlobRest.Request(HttpMethod.Delete, BlobUri(metaName)), What("Delete Blob", metaName), cancellationToken, HttpStatusCode.NotFound);
        var size = await payload.CommitAsync(cancellationToken);

        // Last, and atomic (one Put Blob): stamped once the payload is complete, as the other SDK does.
        var metaJson = (metadata with { Size = size, Timestamp = DateTimeOffset.UtcNow }).ToUtf8Json();
        await BlobRest.SendAndForgetAsync(
            () => BlobRest.Request(HttpMethod.Put, BlobUri(metaName), Json(metaJson), blobType: "BlockBlob", contentType: "application/json"),
            What("Put Blob", metaName),
            cancellationToken);
    }

    /// <summary>Names of the blobs directly under the prefix (without it); null when the container does not exist.</summary>
    internal async Task<HashSet<string>?> ListNamesAsync(CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var marker = "";
        var pageSize = TestOverrides.Value?.ListPageSize;
        do
        {
            var query = new StringBuilder("restype=container&comp=list&delimiter=%2F&prefix=").Append(Uri.EscapeDataString(Prefix));
            if (pageSize is { } size)
            {
                query.Append("&maxresults=").Append(size);
            }

            if (marker.Length > 0)
            {
                query.Append("&marker=").Append(Uri.EscapeDataString(marker));
            }

            var uri = new Uri($"{_containerUrl}?{query}{(_query.Length > 0 ? "&" + _query : "")}");
            XDocument page;
            try
            {
                using var response = await BlobRest.SendAsync(() => BlobRest.Request(HttpMethod.Get, uri), $"List Blobs {Description}", cancellationToken);
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                page = await XDocument.LoadAsync(body, LoadOptions.None, cancellationToken);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (System.Xml.XmlException ex)
            {
                throw new BlobStorageException($"Blob storage returned an invalid listing for {Description}: {ex.Message}");
            }

            foreach (var blob in page.Descendants("Blob"))
            {
                var name = blob.Element("Name")?.Value ?? "";
                if (name.StartsWith(Prefix, StringComparison.Ordinal) && name.Length > Prefix.Length && name.IndexOf('/', Prefix.Length) < 0)
                {
                    names.Add(name[Prefix.Length..]);
                }
            }

            marker = page.Root?.Element("NextMarker")?.Value ?? "";
        }
        while (marker.Length > 0);

        return names;
    }

    /// <summary>The URL of blob <c>prefix + name</c>, each path segment escaped (a stem's <c>%</c> becomes <c>%25</c>), with the SAS.</summary>
    internal Uri BlobUri(string name, string? parameters = null)
    {
        var path = string.Join('/', (Prefix + name).Split('/').Select(Uri.EscapeDataString));
        var query = string.Join('&', new[] { parameters, _query }.Where(p => !string.IsNullOrEmpty(p)));
        return new Uri($"{_containerUrl}/{path}{(query.Length > 0 ? "?" + query : "")}");
    }

    private string What(string operation, string name) => $"{operation} {Description}{name}";

    private static ByteArrayContent Json(byte[] json)
    {
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string? StringProperty(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

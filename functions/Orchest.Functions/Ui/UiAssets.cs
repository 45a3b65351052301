using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Orchest.Functions.Ui;

/// <summary>
/// The UI's stylesheet and script, embedded in this assembly (Ui/Assets) and served by the host itself:
/// no CDN, nothing to deploy beside the binary. URLs carry a content hash, so browsers keep them for a
/// year and a new build is fetched at once.
/// </summary>
internal static class UiAssets
{
    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    /// <summary>The URL of an asset, e.g. <c>/ui/assets/ui.css?v=1a2b3c4d5e6f</c>.</summary>
    public static string Url(string name) => $"/ui/assets/{name}?v={Assets[name].Hash}";

    public static IResult Serve(string name, string? v, HttpContext http)
    {
        if (!Assets.TryGetValue(name, out var asset))
        {
            return TypedResults.NotFound();
        }

        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ETag = $"\"{asset.Hash}\"";
        headers.Pragma = default;
        headers.CacheControl = v == asset.Hash ? "public, max-age=31536000, immutable" : "no-cache";
        if (http.Request.Headers.IfNoneMatch == headers.ETag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        const string prefix = "Orchest.Ui.";
        var assembly = typeof(UiAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var name = resource[prefix.Length..];
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            assets[name] = new Asset(content, type, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record Asset(byte[] Content, string ContentType, string Hash);
}

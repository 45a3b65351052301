using System.Net;
using System.Text;
using Orchest.Engine.Ports;

namespace Orchest.Storage.Azure.Tests.Support;

/// <summary>What a step SDK does with a PROTOCOL §2 blob location: plain HTTP, no Azure package.</summary>
internal static class SasHttp
{
    private static readonly HttpClient Client = new();

    public static string FileUrl(StepLocation location, string file) =>
        $"{location.ContainerUrl}/{location.Prefix}{Uri.EscapeDataString(file)}?{location.Query}";

    public static async Task<HttpStatusCode> PutAsync(StepLocation location, string file, string content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, FileUrl(location, file))
        {
            Content = new StringContent(content, Encoding.UTF8),
        };
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        using var response = await Client.SendAsync(request);
        return response.StatusCode;
    }

    public static async Task<(HttpStatusCode Status, string Body)> GetAsync(StepLocation location, string file)
    {
        using var response = await Client.GetAsync(FileUrl(location, file));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>List Blobs over the set's prefix; the names relative to the prefix.</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(StepLocation location)
    {
        var url = $"{location.ContainerUrl}?restype=container&comp=list&prefix={Uri.EscapeDataString(location.Prefix!)}&{location.Query}";
        using var response = await Client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        var xml = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        return xml.Descendants("Blob").Select(b => b.Element("Name")!.Value[location.Prefix!.Length..]).Order(StringComparer.Ordinal).ToList();
    }

    public static string Meta(string? name, string serialization, int size) =>
        $$"""{"name": {{(name is null ? "null" : $"\"{name}\"")}}, "serialization": "{{serialization}}", "timestamp": "2026-11-22T12:00:00.000000+00:00", "size": {{size}}, "producer": "python"}""";
}

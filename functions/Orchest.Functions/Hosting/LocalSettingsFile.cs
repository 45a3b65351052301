using System.Text.Json;

namespace Orchest.Functions.Hosting;

/// <summary>
/// Reads <c>local.settings.json</c> in the Azure Functions format (<c>{"IsEncrypted": false, "Values": {...}}</c>)
/// and adds its values to configuration; <c>__</c> in a name separates sections, as in environment variables.
/// </summary>
public static class LocalSettingsFile
{
    public static IConfigurationBuilder AddLocalSettingsFile(this IConfigurationBuilder builder, string path)
    {
        if (!File.Exists(path))
        {
            return builder;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (!document.RootElement.TryGetProperty("Values", out var values) || values.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException($"{path}: expected an object \"Values\" (the Azure Functions local.settings.json format).");
        }

        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in values.EnumerateObject())
        {
            settings[value.Name.Replace("__", ":", StringComparison.Ordinal)] =
                value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString() : value.Value.GetRawText();
        }

        return builder.AddInMemoryCollection(settings);
    }
}

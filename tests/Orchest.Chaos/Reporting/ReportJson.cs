using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchest.Chaos.Reporting;

/// <summary>How results and evidence are written: indented snake_case JSON (as the API speaks), enums by name.</summary>
public static class ReportJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task WriteAsync<T>(string path, T value, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        await using (var stream = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(stream, value, Options, cancellationToken);
        }

        // Replaced whole: a long session's results file is read while it runs.
        File.Move(temporary, path, overwrite: true);
    }
}

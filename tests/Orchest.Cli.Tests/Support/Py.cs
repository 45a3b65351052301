using System.Text.Json;

namespace Orchest.Cli.Tests.Support;

/// <summary>Values written into generated Python and bash step sources.</summary>
internal static class Py
{
    /// <summary>A Python string literal (a JSON string is one).</summary>
    public static string Str(string value) => JsonSerializer.Serialize(value);
}

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Orchest.Sdk;

/// <summary>The System.Text.Json settings for values and parameters exchanged with other steps.</summary>
internal static class StepJson
{
    /// <summary>
    /// snake_case property names because the other side is usually Python (<c>MeanValue</c> is written
    /// as <c>mean_value</c> and read back from it); case-insensitive reads; strict numbers (no NaN or
    /// Infinity, as the protocol requires). The reflection resolver is set explicitly because .NET 10
    /// file-based programs default to <c>PublishAot=true</c>, which turns reflection-based
    /// serialisation off unless a resolver is given.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>
    /// Escapes only what JSON requires, so payloads and metadata keep <c>+</c>, accented letters and
    /// other non-ASCII text as is (the files are read by programs, never embedded in HTML).
    /// </summary>
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            PropertyNameCaseInsensitive = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            Encoder = Encoder,
        };
        options.MakeReadOnly();
        return options;
    }
}

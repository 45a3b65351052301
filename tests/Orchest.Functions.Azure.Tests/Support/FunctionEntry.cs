using System.Text.Json.Serialization;

namespace Orchest.Functions.Azure.Tests.Support;

/// <summary>One function of a published functions.metadata: what the Functions host reads to index the app.</summary>
public sealed record FunctionEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("scriptFile")] string ScriptFile,
    [property: JsonPropertyName("entryPoint")] string EntryPoint,
    [property: JsonPropertyName("bindings")] IReadOnlyList<FunctionBinding> Bindings)
{
    /// <summary>The binding that starts the function (exactly one per function).</summary>
    public FunctionBinding Trigger => Bindings.Single(b => b.Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));

    public bool Has(string bindingType) => Bindings.Any(b => string.Equals(b.Type, bindingType, StringComparison.OrdinalIgnoreCase));
}

using System.Text.Json;
using DurableTask.Core.Serializing;

namespace Orchest.Durable.AzureStorage;

/// <summary>
/// DurableTask.Core's client serialises with Newtonsoft by default; the orchestrations read their inputs
/// with System.Text.Json (<see cref="DurableJson"/>). The client uses the same, so a run started here
/// reads the same on every host and in the Functions app.
/// </summary>
internal sealed class SystemTextJsonConverter : DataConverter
{
    public override string Serialize(object value) => Serialize(value, formatted: false);

    public override string Serialize(object value, bool formatted) =>
        JsonSerializer.Serialize(value, value?.GetType() ?? typeof(object), DurableJson.Options);

    public override object Deserialize(string data, Type objectType) =>
        JsonSerializer.Deserialize(data, objectType, DurableJson.Options)!;
}

namespace Orchest.Sdk;

/// <summary>
/// Everything the incoming steps output, as Orchest's <c>get_inputs()</c> returned it: unnamed values in
/// <c>incoming_connections</c> order, named values by name.
/// </summary>
public sealed class Inputs
{
    internal Inputs(IReadOnlyList<InputValue> unnamed, IReadOnlyDictionary<string, InputValue> named)
    {
        Unnamed = unnamed;
        Named = named;
    }

    /// <summary>The unnamed outputs of the incoming steps, in the order of the step's incoming connections (Orchest's <c>inputs["unnamed"]</c>).</summary>
    public IReadOnlyList<InputValue> Unnamed { get; }

    /// <summary>The named outputs of all incoming steps, by name (names are unique across incoming steps).</summary>
    public IReadOnlyDictionary<string, InputValue> Named { get; }

    /// <summary>The named output <paramref name="name"/> (Orchest's <c>inputs["name"]</c>).</summary>
    /// <param name="name">The output name.</param>
    /// <returns>The value an incoming step output under that name.</returns>
    /// <exception cref="KeyNotFoundException">No incoming step output a value under that name; the message lists the names there are.</exception>
    public InputValue this[string name] =>
        Named.TryGetValue(name, out var value)
            ? value
            : throw new KeyNotFoundException(
                $"No incoming step output a value named \"{name}\". Named inputs: "
                + (Named.Count == 0 ? "none." : string.Join(", ", Named.Keys.Order(StringComparer.Ordinal).Select(n => $"\"{n}\"")) + "."));

    /// <summary>Looks up a named output without throwing.</summary>
    /// <param name="name">The output name.</param>
    /// <param name="value">The value when found.</param>
    /// <returns>True when an incoming step output a value under that name.</returns>
    public bool TryGetValue(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out InputValue value) =>
        Named.TryGetValue(name, out value);
}

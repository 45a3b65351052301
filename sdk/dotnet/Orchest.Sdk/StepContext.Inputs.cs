using System.Text.Json;

namespace Orchest.Sdk;

public sealed partial class StepContext
{
    /// <summary>
    /// Gets everything the incoming steps output (Orchest's <c>get_inputs()</c>): unnamed values in
    /// <c>incoming_connections</c> order and named values by name. JSON values are read into memory;
    /// Arrow data is streamed later by <see cref="InputValue.ReadArrowAsync"/>.
    /// </summary>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The incoming values.</returns>
    /// <exception cref="OutputNotFoundException">An incoming step has no committed output set.</exception>
    /// <exception cref="InputNameCollisionException">Several incoming steps output a value under the same name.</exception>
    /// <exception cref="OutputNotReadableException">An output's metadata or JSON payload is not valid.</exception>
    /// <exception cref="NotSupportedException">An incoming step's outputs are at a location kind this SDK does not support.</exception>
    /// <exception cref="IOException">Reading failed: a disk error, or blob storage refused the request (e.g. an expired SAS) or stayed unreachable after retries; messages never contain the SAS.</exception>
    public async Task<Inputs> GetInputsAsync(CancellationToken cancellationToken = default)
    {
        // Orchest's order: find every incoming step's outputs (a missing one fails first), then check
        // names for collisions, and only then read values.
        var found = new List<(IncomingStep Step, StoredOutputFile File, OutputMetadata Metadata)>();
        foreach (var step in _incomingSteps)
        {
            var files = step.Location is null ? null : await step.Location.ListAsync(cancellationToken);
            if (files is null)
            {
                throw new OutputNotFoundException(step.StepUuid, step.Title);
            }

            // In the order they were output, as the Python SDK orders them.
            var outputs = files.Select(file => (step, file, Metadata: ParseMetadata(step, file)))
                .OrderBy(output => output.Metadata.Timestamp ?? DateTimeOffset.MinValue)
                .ThenBy(output => output.file.Stem, StringComparer.Ordinal);
            found.AddRange(outputs);
        }

        ThrowOnNameCollisions(found.Where(f => f.Metadata.Name is not null).Select(f => (f.Metadata.Name!, f.Step.Title)));

        var unnamed = new List<InputValue>();
        var named = new Dictionary<string, InputValue>(StringComparer.Ordinal);
        foreach (var (step, file, metadata) in found)
        {
            var json = metadata.Serialization == OutputSerialization.Json
                ? await ReadJsonAsync(step, file.Stem, metadata, cancellationToken)
                : (JsonElement?)null;
            var value = new InputValue(step.StepUuid, step.Title, metadata, json, step.Location!, file.Stem);
            if (metadata.Name is null)
            {
                unnamed.Add(value);
            }
            else
            {
                named[metadata.Name] = value;
            }
        }

        return new Inputs(unnamed, named);
    }

    private static OutputMetadata ParseMetadata(IncomingStep step, StoredOutputFile file)
    {
        try
        {
            return OutputMetadata.Parse(file.MetadataJson);
        }
        catch (FormatException ex)
        {
            throw new OutputNotReadableException(
                step.StepUuid, step.Title, outputName: null, serialization: null,
                $"The metadata file \"{file.Stem}{OutputFormat.MetaSuffix}\" of incoming step \"{step.Title}\" (\"{step.StepUuid}\") is not valid: {ex.Message}",
                ex);
        }
    }

    private static void ThrowOnNameCollisions(IEnumerable<(string Name, string Title)> namedOutputs)
    {
        var titlesByName = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var firstSeen = new List<string>();
        foreach (var (name, title) in namedOutputs)
        {
            if (!titlesByName.TryGetValue(name, out var titles))
            {
                titlesByName[name] = titles = [];
                firstSeen.Add(name);
            }

            titles.Add(title);
        }

        // Ordered as Orchest's message is: names in the order they were first seen.
        var collisions = new OrderedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var name in firstSeen.Where(name => titlesByName[name].Count > 1))
        {
            collisions.Add(name, [.. titlesByName[name].Order(StringComparer.Ordinal)]);
        }

        if (collisions.Count > 0)
        {
            throw new InputNameCollisionException(collisions);
        }
    }

    private static async Task<JsonElement> ReadJsonAsync(IncomingStep step, string stem, OutputMetadata metadata, CancellationToken cancellationToken)
    {
        try
        {
            await using var payload = await step.Location!.OpenPayloadAsync(stem, cancellationToken);
            using var document = await JsonDocument.ParseAsync(payload, default, cancellationToken);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new OutputNotReadableException(
                step.StepUuid, step.Title, metadata.Name, metadata.SerializationName,
                $"{OutputNotReadableException.Describe(metadata.Name, step.Title, step.StepUuid)} is not valid JSON: {ex.Message}",
                ex);
        }
    }
}

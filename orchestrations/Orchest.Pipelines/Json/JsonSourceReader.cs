using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchest.Pipelines.Reading;

namespace Orchest.Pipelines.Json;

/// <summary>
/// Reads JSON text into nodes while remembering where things are, so that syntax errors and duplicate
/// keys are reported with a line and column. Duplicate keys keep the last value in the first key's
/// place, as Python's json module did for Orchest.
/// </summary>
internal sealed class JsonSourceReader
{
    private const int MaxDepth = 256;
    private readonly byte[] utf8;
    private readonly ProblemSink problems;
    private readonly bool stepsAreUuids;

    private JsonSourceReader(byte[] utf8, ProblemSink problems, bool stepsAreUuids)
    {
        this.utf8 = utf8;
        this.problems = problems;
        this.stepsAreUuids = stepsAreUuids;
    }

    /// <summary>
    /// The root node, or null after reporting invalid_json. With stepsAreUuids, duplicate keys of the
    /// root "steps" object are reported as duplicate step uuids.
    /// </summary>
    public static JsonNode? Read(string text, ProblemSink problems, bool stepsAreUuids)
    {
        // A byte order mark is an editor's artefact, not content.
        var bytes = Encoding.UTF8.GetBytes(text.StartsWith('\uFEFF') ? text[1..] : text);
        var source = new JsonSourceReader(bytes, problems, stepsAreUuids);
        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            problems.Add(problems.Create("invalid_json", null, "invalid JSON at line 1, column 1: the file is empty.") with { Line = 1, Column = 1 });
            return null;
        }

        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            reader.Read();
            var root = source.ReadValue(ref reader, "");

            // Reading past the root value is what reports trailing content.
            while (reader.Read())
            {
            }

            return root;
        }
        catch (JsonException e)
        {
            var (line, column) = source.Position(e.LineNumber ?? 0, e.BytePositionInLine ?? 0);
            var sentence = $"invalid JSON at line {line}, column {column}: {Reason(e.Message)}.";
            problems.Add(problems.Create("invalid_json", null, sentence) with { Line = line, Column = column });
            return null;
        }
    }

    private JsonNode? ReadValue(ref Utf8JsonReader reader, string path)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return ReadObject(ref reader, path);
            case JsonTokenType.StartArray:
                var array = new JsonArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Add(ReadValue(ref reader, path));
                }

                return array;
            case JsonTokenType.String:
                return JsonValue.Create(reader.GetString());
            case JsonTokenType.Number:
                // Keeps the number's text, so that it round-trips exactly.
                return JsonValue.Create(JsonElement.ParseValue(ref reader));
            case JsonTokenType.True:
                return JsonValue.Create(true);
            case JsonTokenType.False:
                return JsonValue.Create(false);
            default:
                return null;
        }
    }

    private JsonObject ReadObject(ref Utf8JsonReader reader, string path)
    {
        var result = new JsonObject();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            var start = reader.TokenStartIndex;
            var fieldPath = path.Length == 0 ? name : $"{path}.{name}";
            reader.Read();
            var value = ReadValue(ref reader, fieldPath);
            if (result.ContainsKey(name))
            {
                ReportDuplicate(path, name, fieldPath, start);
            }

            result[name] = value;
        }

        return result;
    }

    private void ReportDuplicate(string path, string name, string fieldPath, long offset)
    {
        var (line, column) = Position(offset);
        var at = $"(line {line}, column {column})";
        var problem = stepsAreUuids && path == "steps"
            ? problems.Create("duplicate_step_uuid", "steps", $"steps has the step uuid \"{name}\" more than once {at}; only the last one is used.") with { StepUuid = name }
            : problems.Create("duplicate_key", fieldPath, $"\"{fieldPath}\" appears more than once {at}; only the last value is used.");
        problems.Add(problem with { Line = line, Column = column });
    }

    /// <summary>1-based line and column (in characters) of a byte offset.</summary>
    private (int Line, int Column) Position(long offset)
    {
        int line = 1, column = 1;
        for (var i = 0; i < offset && i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                line++;
                column = 1;
            }
            else if ((utf8[i] & 0xC0) != 0x80)
            {
                // Continuation bytes belong to the character already counted.
                column++;
            }
        }

        return (line, column);
    }

    private (int Line, int Column) Position(long zeroBasedLine, long bytePositionInLine)
    {
        long offset = 0;
        for (long seen = 0; seen < zeroBasedLine && offset < utf8.Length; offset++)
        {
            if (utf8[offset] == (byte)'\n')
            {
                seen++;
            }
        }

        return Position(offset + bytePositionInLine);
    }

    /// <summary>The reader's explanation without its position suffix and its advice about reader options.</summary>
    private static string Reason(string message)
    {
        var end = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var reason = (end < 0 ? message : message[..end])
            .Replace(" Change the reader options.", "", StringComparison.Ordinal)
            .Trim();
        return reason.TrimEnd('.');
    }
}

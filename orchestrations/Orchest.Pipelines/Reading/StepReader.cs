using System.Text.Json.Nodes;
using Orchest.Pipelines.Json;

namespace Orchest.Pipelines.Reading;

/// <summary>Reads one steps.&lt;uuid&gt; object, reporting fields of the wrong type and using defaults for them.</summary>
internal static class StepReader
{
    public const string DefaultKernel = "python";

    public static PipelineStep Read(
        int index, string key, JsonObject step, string pipelineFolder, RetryPolicy pipelineRetry, ProblemSink sink)
    {
        var title = "";
        var titleNode = step["title"];
        var titleIsString = !step.ContainsKey("title") || JsonText.TryGetString(titleNode, out title);
        var problems = sink.Step(key, title);
        if (!titleIsString)
        {
            problems.Add("invalid_field_type", "title", $"title must be a string, got {ProblemText.Value(titleNode)}.");
        }

        string? declaredUuid = null;
        if (step.TryGetPropertyValue("uuid", out var uuidNode))
        {
            if (JsonText.TryGetString(uuidNode, out var uuid))
            {
                declaredUuid = uuid;
            }
            else
            {
                problems.Add("invalid_field_type", "uuid", $"uuid must be a string, got {ProblemText.Value(uuidNode)}.");
            }
        }

        var filePath = ReadFilePath(step, problems);
        var environment = OptionalString(step, "environment", "", problems);
        var kernel = ReadKernel(step, problems);

        var parameters = new JsonObject();
        if (step.TryGetPropertyValue("parameters", out var parametersNode))
        {
            if (parametersNode is JsonObject given)
            {
                parameters = (JsonObject)given.DeepClone();
            }
            else
            {
                problems.Add("invalid_field_type", "parameters", $"parameters must be an object, got {ProblemText.Value(parametersNode)}.");
            }
        }

        var retry = step.TryGetPropertyValue("retry", out var retryNode)
            ? RetryReader.Read(retryNode, "retry", pipelineRetry, problems)
            : null;

        return new PipelineStep(
            index,
            key,
            declaredUuid,
            title,
            filePath,
            ProjectPaths.Resolve(pipelineFolder, filePath),
            ReadIncoming(step, problems),
            environment,
            parameters,
            kernel,
            retry);
    }

    private static string ReadFilePath(JsonObject step, ProblemScope problems)
    {
        if (!step.TryGetPropertyValue("file_path", out var node))
        {
            problems.Add("missing_field", "file_path", "file_path is missing.");
            return "";
        }

        if (!JsonText.TryGetString(node, out var filePath))
        {
            problems.Add("invalid_field_type", "file_path", $"file_path must be a string, got {ProblemText.Value(node)}.");
        }
        else if (filePath.Length == 0)
        {
            problems.Add("missing_field", "file_path", "file_path is empty.");
        }

        return filePath;
    }

    private static string ReadKernel(JsonObject step, ProblemScope problems)
    {
        if (!step.TryGetPropertyValue("kernel", out var node))
        {
            return DefaultKernel;
        }

        if (node is not JsonObject kernel)
        {
            problems.Add("invalid_field_type", "kernel", $"kernel must be an object such as {{\"name\": \"python\"}}, got {ProblemText.Value(node)}.");
            return DefaultKernel;
        }

        return OptionalString(kernel, "name", DefaultKernel, problems, "kernel.name");
    }

    private static string[] ReadIncoming(JsonObject step, ProblemScope problems)
    {
        if (!step.TryGetPropertyValue("incoming_connections", out var node))
        {
            return [];
        }

        if (node is not JsonArray connections)
        {
            problems.Add("invalid_field_type", "incoming_connections", $"incoming_connections must be an array of step uuids, got {ProblemText.Value(node)}.");
            return [];
        }

        var parents = new List<string>(connections.Count);
        foreach (var item in connections)
        {
            if (JsonText.TryGetString(item, out var parent))
            {
                parents.Add(parent);
            }
            else
            {
                problems.Add("invalid_field_type", "incoming_connections", $"incoming_connections must contain only step uuids (strings), got {ProblemText.Value(item)}.");
            }
        }

        return [.. parents];
    }

    private static string OptionalString(JsonObject owner, string name, string fallback, ProblemScope problems, string? field = null)
    {
        if (!owner.TryGetPropertyValue(name, out var node))
        {
            return fallback;
        }

        if (JsonText.TryGetString(node, out var value))
        {
            return value;
        }

        problems.Add("invalid_field_type", field ?? name, $"{field ?? name} must be a string, got {ProblemText.Value(node)}.");
        return fallback;
    }
}

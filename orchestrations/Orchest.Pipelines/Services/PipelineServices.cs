using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Orchest.Pipelines.Services;

/// <summary>
/// Reads and checks a pipeline's <c>services</c> block with Orchest's rules (inventory §1.6, §1.8):
/// name pattern and key, image, scope, unique order, int ports, allowed binds, variable names. Every
/// problem is reported at once, each naming the service and the field.
/// </summary>
public static partial class PipelineServices
{
    private static readonly string[] AllowedScopes = ["interactive", "noninteractive"];
    private static readonly string[] AllowedBinds = ["/data", "/project-dir"];

    [GeneratedRegex("^[a-z][0-9a-z\\-]{0,25}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9a-zA-Z\\-_]+$")]
    private static partial Regex VariablePattern();

    /// <summary>The services in <c>order</c>; every problem goes to <paramref name="problems"/>.</summary>
    /// <param name="pipeline">The migrated pipeline.</param>
    /// <param name="environments">The project's environment uuids, to check <c>environment@&lt;uuid&gt;</c>; null skips that check.</param>
    /// <param name="problems">Receives every problem found.</param>
    public static IReadOnlyList<PipelineService> Read(PipelineDefinition pipeline, IReadOnlyCollection<string>? environments, List<PipelineProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(problems);
        var node = pipeline.ToJson()["services"];
        if (node is null)
        {
            return [];
        }

        if (node is not JsonObject block)
        {
            problems.Add(Problem(pipeline, null, "services", "\"services\" must be an object of service name → service."));
            return [];
        }

        var services = new List<PipelineService>();
        var orders = new Dictionary<int, string>();
        foreach (var (key, value) in block)
        {
            if (value is not JsonObject json)
            {
                problems.Add(Problem(pipeline, key, "", "must be an object."));
                continue;
            }

            var before = problems.Count;
            var service = ReadOne(pipeline, key, json, environments, problems);
            if (service is not null && orders.TryGetValue(service.Order, out var other))
            {
                problems.Add(Problem(pipeline, key, "order", $"order {service.Order} is also the order of service \"{other}\"; each service needs its own."));
            }
            else if (service is not null)
            {
                orders[service.Order] = key;
            }

            if (service is not null && problems.Count == before)
            {
                services.Add(service);
            }
        }

        return services.OrderBy(s => s.Order).ToList();
    }

    private static PipelineService? ReadOne(PipelineDefinition pipeline, string key, JsonObject json, IReadOnlyCollection<string>? environments, List<PipelineProblem> problems)
    {
        void Add(string field, string text) => problems.Add(Problem(pipeline, key, field, text));

        var name = Text(json, "name");
        if (name is null || name.Length == 0)
        {
            Add("name", "\"name\" is missing; it must equal the key.");
        }
        else if (name != key)
        {
            Add("name", $"\"name\" is \"{name}\" but the key is \"{key}\"; they must be equal.");
        }
        else if (!NamePattern().IsMatch(name))
        {
            Add("name", "the name must start with a lower-case letter and have at most 26 lower-case letters, digits and '-'.");
        }

        var image = Text(json, "image")?.Trim() ?? "";
        if (image.Length == 0)
        {
            Add("image", "\"image\" is missing: name a Docker image or environment@<environment uuid>.");
        }
        else if (image.StartsWith(PipelineService.EnvironmentPrefix, StringComparison.Ordinal))
        {
            var uuid = image[PipelineService.EnvironmentPrefix.Length..];
            if (uuid.Length == 0)
            {
                Add("image", "\"environment@\" names no environment: write environment@<environment uuid>.");
            }
            else if (environments is not null && !environments.Contains(uuid))
            {
                Add("image", $"environment \"{uuid}\" does not exist in the project (no .orchest/environments/{uuid}/properties.json).");
            }
        }
        else if (!IsImageReference(image))
        {
            Add("image", $"\"{image}\" is not a Docker image reference (e.g. redis, redis:7, registry:5000/team/db@sha256:...).");
        }

        var scope = Strings(json, "scope", pipeline, key, problems);
        if (scope.Count == 0 && json["scope"] is null or JsonArray)
        {
            Add("scope", "\"scope\" needs at least one of interactive, noninteractive.");
        }

        foreach (var s in scope.Where(s => !AllowedScopes.Contains(s)))
        {
            Add("scope", $"scope \"{s}\" is not one of interactive, noninteractive.");
        }

        var ports = new List<int>();
        if (json["ports"] is JsonArray portArray && portArray.Count > 0)
        {
            foreach (var port in portArray)
            {
                if (port is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var p) && p is >= 1 and <= 65535)
                {
                    if (ports.Contains(p))
                    {
                        Add("ports", $"port {p} is listed twice.");
                    }

                    ports.Add(p);
                }
                else
                {
                    Add("ports", $"port {port?.ToJsonString() ?? "null"} is not a whole number from 1 to 65535 (Orchest refuses strings too).");
                }
            }
        }
        else
        {
            Add("ports", "\"ports\" needs at least one port (a whole number), the port the service listens on.");
        }

        var binds = new Dictionary<string, string>(StringComparer.Ordinal);
        if (json["binds"] is JsonObject bindObject)
        {
            foreach (var (from, to) in bindObject)
            {
                var target = to is JsonValue tv && tv.TryGetValue<string>(out var t) ? t : null;
                if (!AllowedBinds.Contains(from))
                {
                    Add("binds", $"bind \"{from}\" is not allowed; only /data and /project-dir can be mounted.");
                }
                else if (target is null || !target.StartsWith('/'))
                {
                    Add("binds", $"bind \"{from}\" must map to an absolute path inside the service container.");
                }
                else
                {
                    binds[from] = target;
                }
            }
        }
        else if (json["binds"] is not null)
        {
            Add("binds", "\"binds\" must be an object such as {\"/data\": \"/data\"}.");
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (json["env_variables"] is JsonObject envObject)
        {
            foreach (var (variable, value) in envObject)
            {
                if (!VariablePattern().IsMatch(variable))
                {
                    Add("env_variables", $"variable name \"{variable}\" may only contain letters, digits, '-' and '_'.");
                }
                else if (value is JsonValue vv && vv.TryGetValue<string>(out var text))
                {
                    variables[variable] = text;
                }
                else
                {
                    Add("env_variables", $"variable \"{variable}\" must be a string.");
                }
            }
        }
        else if (json["env_variables"] is not null)
        {
            Add("env_variables", "\"env_variables\" must be an object of name → string.");
        }

        var inherited = Strings(json, "env_variables_inherit", pipeline, key, problems);
        foreach (var variable in inherited.Where(v => !VariablePattern().IsMatch(v)))
        {
            Add("env_variables_inherit", $"variable name \"{variable}\" may only contain letters, digits, '-' and '_'.");
        }

        var order = 0;
        if (json["order"] is JsonValue ov && ov.GetValueKind() == JsonValueKind.Number && ov.TryGetValue<int>(out var o))
        {
            order = o;
        }
        else
        {
            Add("order", "\"order\" must be a whole number.");
        }

        var exposed = json["exposed"] is JsonValue ev && ev.GetValueKind() == JsonValueKind.True;
        if (json["exposed"] is { } e && e.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            Add("exposed", "\"exposed\" must be true or false.");
        }

        return new PipelineService
        {
            Name = key,
            Image = image,
            Command = Text(json, "command") ?? "",
            Args = Text(json, "args") ?? "",
            Binds = binds,
            Ports = ports,
            EnvironmentVariables = variables,
            InheritedVariables = inherited,
            Scope = scope,
            Order = order,
            Exposed = exposed,
        };
    }

    /// <summary>Docker's reference grammar, loosely: lower-case path components, optional host:port, tag and digest.</summary>
    private static bool IsImageReference(string image) => ImagePattern().IsMatch(image);

    [GeneratedRegex("^(?:[a-zA-Z0-9.\\-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,127})?(?:@sha256:[a-f0-9]{64})?$")]
    private static partial Regex ImagePattern();

    private static string? Text(JsonObject json, string field) =>
        json[field] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    private static List<string> Strings(JsonObject json, string field, PipelineDefinition pipeline, string key, List<PipelineProblem> problems)
    {
        var list = new List<string>();
        if (json[field] is null)
        {
            return list;
        }

        if (json[field] is not JsonArray array || array.Any(i => i is not JsonValue v || !v.TryGetValue<string>(out _)))
        {
            problems.Add(Problem(pipeline, key, field, $"\"{field}\" must be a list of strings."));
            return list;
        }

        list.AddRange(array.Select(i => i!.GetValue<string>()));
        return list;
    }

    private static PipelineProblem Problem(PipelineDefinition pipeline, string? service, string field, string text)
    {
        var where = service is null ? "" : $"service \"{service}\"{(field.Length > 0 ? $" field \"{field}\"" : "")}: ";
        return new PipelineProblem("invalid_service", $"{pipeline.Path}: {where}{text}")
        {
            PipelinePath = pipeline.Path,
            Field = service is null ? field : field.Length > 0 ? $"services.{service}.{field}" : $"services.{service}",
        };
    }
}

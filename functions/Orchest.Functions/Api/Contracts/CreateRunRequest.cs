using System.Text.Json.Nodes;

namespace Orchest.Functions.Api.Contracts;

/// <summary>Body of <c>POST /api/projects/{project}/runs</c>.</summary>
public sealed record CreateRunRequest
{
    /// <summary>Pipeline file path in the repository (optional when the commit has exactly one pipeline).</summary>
    public string? Pipeline { get; init; }

    /// <summary>Branch, tag or commit sha; the project's branch by default.</summary>
    public string? Ref { get; init; }

    public string? RunType { get; init; }
    public IReadOnlyList<string>? Steps { get; init; }

    /// <summary>Pipeline parameters, merged key by key over the file's.</summary>
    public JsonObject? Parameters { get; init; }

    /// <summary>Step parameters by step uuid or title, merged key by key.</summary>
    public Dictionary<string, JsonObject>? StepParameters { get; init; }

    /// <summary>Environment variables for every step (never shown back).</summary>
    public Dictionary<string, string>? Env { get; init; }
}

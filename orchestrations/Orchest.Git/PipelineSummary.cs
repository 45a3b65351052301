using Orchest.Pipelines;

namespace Orchest.Git;

/// <summary>One pipeline file of a project at a commit, as a listing shows it.</summary>
/// <param name="Path">Project-relative, forward slashes.</param>
/// <param name="Uuid">Null when the file does not parse.</param>
/// <param name="Name">Null when the file does not parse.</param>
/// <param name="StepCount">0 when the file does not parse.</param>
/// <param name="Problems">Why the file does not read cleanly (empty when it does).</param>
public sealed record PipelineSummary(string Path, string? Uuid, string? Name, int StepCount, IReadOnlyList<PipelineProblem> Problems)
{
    public bool IsValid => Uuid is not null && Problems.Count == 0;
}

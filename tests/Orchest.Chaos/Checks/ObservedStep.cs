using Orchest.Chaos.Workloads;

namespace Orchest.Chaos.Checks;

/// <summary>
/// One step of an ended run as the API and storage show it: status and attempt (API), the committed output
/// set (projection), the step's LATEST and COMMITTED pointers and the output sets present (blobs), its
/// committed output and log (API, succeeded steps only), and where each attempt began (attempt rows).
/// </summary>
public sealed record ObservedStep(string Uuid, string Title, string Status, int Attempt, string? Message, PlannedStep? Plan)
{
    public string? OutputSet { get; init; }

    public string? Latest { get; init; }

    public IReadOnlyList<string> Committed { get; init; } = [];

    /// <summary>Output set names found under the step's prefix (committed or not).</summary>
    public IReadOnlyList<string> SetsPresent { get; init; } = [];

    public StepOutput? Output { get; init; }

    public string? Log { get; init; }

    /// <summary>Attempt number -> the host that began it.</summary>
    public IReadOnlyDictionary<int, string> AttemptHosts { get; init; } = new Dictionary<int, string>();
}

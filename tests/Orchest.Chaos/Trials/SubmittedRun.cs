using System.Net;
using Orchest.Chaos.Workloads;

namespace Orchest.Chaos.Trials;

/// <summary>What the trial did with one planned run: how its start went (and its id), and its cancel if one was sent.</summary>
public sealed class SubmittedRun(PlannedRun plan)
{
    public PlannedRun Plan => plan;

    public ApiAnswer? Submission { get; set; }

    /// <summary>From the 202, or found in the project's run list when the start got no answer.</summary>
    public string? RunId { get; set; }

    public bool Acknowledged => Submission?.Status == HttpStatusCode.Accepted;

    public ApiAnswer? Cancel { get; set; }
}

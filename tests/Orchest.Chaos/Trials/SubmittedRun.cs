using System.Net;
using Orchest.Chaos.Workloads;

namespace Orchest.Chaos.Trials;

/// <summary>
/// What the trial did with one planned run: how its start went (and its id), and its cancel if one was sent.
/// For a pushed run, <see cref="Submission"/> is its push delivery's answer.
/// </summary>
public sealed class SubmittedRun(PlannedRun plan)
{
    public PlannedRun Plan => plan;

    public ApiAnswer? Submission { get; set; }

    /// <summary>From the 202, or found in the project's run list when the start got no answer.</summary>
    public string? RunId { get; set; }

    /// <summary>The start was answered 202 (a push: 202 naming the run it started).</summary>
    public bool Acknowledged => Submission?.Status == HttpStatusCode.Accepted && (!Plan.Pushed || RunId is not null);

    /// <summary>A pushed run's delivery id (GitHub's X-GitHub-Delivery).</summary>
    public string? DeliveryId { get; set; }

    /// <summary>The commit a pushed run's push made (the run must run at it).</summary>
    public string? PushedCommit { get; set; }

    /// <summary>The answer to the redelivery of a push that got none, if one was sent.</summary>
    public ApiAnswer? Redelivery { get; set; }

    public ApiAnswer? Cancel { get; set; }
}

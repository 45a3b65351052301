namespace Orchest.Durable.Jobs;

/// <summary>For <see cref="CancelJobRunsActivity"/>: the job whose unfinished runs to cancel, and why.</summary>
public sealed record CancelJobRunsInput(string JobId, string Reason);

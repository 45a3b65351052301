using Orchest.Engine.Jobs;
using Orchest.Engine.Runs;

namespace Orchest.Functions.Ui.Views;

/// <summary>A job on its project's jobs page, with its latest runs.</summary>
public sealed record JobRow(JobSnapshot Job, IReadOnlyList<RunRecord> LastRuns);

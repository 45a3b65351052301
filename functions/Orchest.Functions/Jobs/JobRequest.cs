using Orchest.Engine.Jobs;

namespace Orchest.Functions.Jobs;

/// <summary>A job request read onto a definition (<see cref="JobRequestReader"/>).</summary>
/// <param name="Definition">The definition the request asks for.</param>
/// <param name="Environment">The environment variables when the request sets them (null: unchanged).</param>
/// <param name="Draft">Create it as a DRAFT (nothing is scheduled until confirmed).</param>
/// <param name="ConfirmDraft">Confirm a DRAFT: its schedule starts.</param>
internal sealed record JobRequest(JobDefinition Definition, IReadOnlyDictionary<string, string>? Environment, bool Draft, bool ConfirmDraft);

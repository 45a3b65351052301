using Orchest.Engine.Runs;

namespace Orchest.Functions.Api.Contracts;

/// <summary>One step of a run.</summary>
public sealed record RunStepResponse(
    string Uuid,
    string Title,
    string FilePath,
    string Status,
    int Attempt,
    DateTimeOffset? Started,
    DateTimeOffset? Finished,
    int? ExitCode,
    string? Message)
{
    public static RunStepResponse From(StepRecord step) => new(
        step.Uuid, step.Title, step.FilePath, step.Status.ToWire(), step.Attempt, step.Started, step.Finished, step.ExitCode, step.Message);
}

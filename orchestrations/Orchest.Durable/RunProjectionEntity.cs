using Microsoft.DurableTask.Entities;
using Orchest.Engine.Ports;
using Orchest.Engine.Runs;

namespace Orchest.Durable;

/// <summary>
/// Writes a run's projection (what the API reads) from the progress its orchestration signals, in order.
/// An entity rather than an activity: entity operations run on the orchestration dispatcher, so the
/// projection never waits behind steps for an activity slot. At least once and idempotent: a progress is
/// applied whole before the entity records it; a redelivered one is skipped or applied again to the same
/// result. Accepted output sets become their step's latest output here. After the final progress the
/// entity deletes itself.
/// </summary>
public sealed class RunProjectionEntity(IRunProjection projection, IArtifactStore artifacts) : ITaskEntity
{
    public const string Name = "RunProjection";
    public const string ApplyOperation = "apply";

    public async ValueTask<object?> RunAsync(TaskEntityOperation operation)
    {
        if (!string.Equals(operation.Name, ApplyOperation, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The {Name} entity has no operation \"{operation.Name}\".");
        }

        var state = operation.State.GetState<ProjectionState>() ?? new ProjectionState(0);
        var progress = operation.GetInput<RunProgress>()
            ?? throw new InvalidOperationException($"The {Name} entity's {ApplyOperation} needs a progress.");
        if (progress.Sequence <= state.Applied)
        {
            return null;
        }

        await projection.ApplyAsync(progress);
        foreach (var commit in progress.Commits)
        {
            // A step that output nothing keeps its earlier latest output (as in Orchest, where outputs
            // were only ever overwritten by new ones).
            var key = new StepKey(progress.Run.ProjectId, progress.Run.PipelineUuid, commit.StepUuid);
            if (await artifacts.HasOutputsAsync(key, commit.OutputSet))
            {
                await artifacts.CommitLatestAsync(key, commit.OutputSet);
            }
        }

        operation.State.SetState(progress.Final ? null : new ProjectionState(progress.Sequence));
        return null;
    }
}

using Orchest.Engine.Ports;
using Orchest.Engine.Runs;

namespace Orchest.Engine.Execution;

/// <summary>
/// The output sets of succeeded steps that output nothing. Such a set never becomes the step's latest
/// output (a step run alone then reads the last output its parent did produce, as in Orchest and as
/// served), but it stays while its run goes on: this run's children read it (as "no outputs"). Once
/// the run has ended nothing reads it, so it is removed then.
/// </summary>
internal static class EmptyOutputSets
{
    public static async Task RemoveAsync(IArtifactStore artifacts, RunSnapshot ended)
    {
        foreach (var step in ended.Steps)
        {
            if (step is { Status: ExecutionStatus.Success, OutputSet: { } set })
            {
                var key = new StepKey(ended.Run.ProjectId, ended.Run.PipelineUuid, step.Uuid);
                if (!await artifacts.HasOutputsAsync(key, set, CancellationToken.None))
                {
                    await artifacts.DiscardOutputSetAsync(key, set, CancellationToken.None);
                }
            }
        }
    }
}

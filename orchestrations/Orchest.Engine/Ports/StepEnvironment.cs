using System.Globalization;

namespace Orchest.Engine.Ports;

/// <summary>The <c>ORCHEST_*</c> variables of a step (PROTOCOL.md §1), with paths as the step sees them.</summary>
public static class StepEnvironment
{
    /// <summary>User variables first, then ours, so a user cannot override <c>ORCHEST_*</c> (as in Orchest).</summary>
    public static Dictionary<string, string> Build(StepLaunch launch, Func<string, string> mapPath)
    {
        var variables = new Dictionary<string, string>(launch.UserEnvironment, StringComparer.Ordinal)
        {
            ["ORCHEST_STEP_UUID"] = launch.StepUuid,
            ["ORCHEST_PIPELINE_UUID"] = launch.PipelineUuid,
            ["ORCHEST_PIPELINE_PATH"] = mapPath(launch.PipelineFile),
            ["ORCHEST_PROJECT_UUID"] = launch.ProjectId,
            ["ORCHEST_PROJECT_DIR"] = mapPath(launch.WorkspaceRoot),
            ["ORCHEST_RUN_UUID"] = launch.RunId,
            ["ORCHEST_SESSION_UUID"] = launch.RunId,
            ["ORCHEST_SESSION_TYPE"] = launch.SessionType,
            ["ORCHEST_STEP_ATTEMPT"] = launch.Attempt.ToString(CultureInfo.InvariantCulture),
            ["ORCHEST_DATA_DIR"] = mapPath(launch.DataDirectory),
            ["ORCHEST_STEP_CONTEXT"] = mapPath(launch.ContextFile),
        };
        return variables;
    }
}

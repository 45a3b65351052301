using System.Text.Json;
using Orchest.Engine.Projects;

namespace Orchest.Engine.Ports;

/// <summary>Writes a step's context file (PROTOCOL.md §2) with paths as the step sees them.</summary>
public static class StepContextFile
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static Task WriteAsync(StepLaunch launch, Func<string, string> mapPath, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAllTextAsync(
            launch.ContextFile,
            JsonSerializer.Serialize(launch.Context.MapPaths(mapPath), Json),
            cancellationToken);
}

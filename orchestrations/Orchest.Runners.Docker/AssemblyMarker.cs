namespace Orchest.Runners.Docker;

internal static class AssemblyMarker
{
}

namespace Orchest.Pipelines;

internal static class AssemblyMarker
{
}

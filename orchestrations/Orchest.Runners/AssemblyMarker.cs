namespace Orchest.Runners;

internal static class AssemblyMarker
{
}

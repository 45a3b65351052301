namespace Orchest.Engine;

internal static class AssemblyMarker
{
}

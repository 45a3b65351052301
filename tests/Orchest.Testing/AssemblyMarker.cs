namespace Orchest.Testing;

internal static class AssemblyMarker
{
}

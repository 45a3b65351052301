namespace Orchest.Sdk;

internal static class AssemblyMarker
{
}

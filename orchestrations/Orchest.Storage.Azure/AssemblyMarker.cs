namespace Orchest.Storage.Azure;

internal static class AssemblyMarker
{
}

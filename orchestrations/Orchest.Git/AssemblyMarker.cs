namespace Orchest.Git;

internal static class AssemblyMarker
{
}

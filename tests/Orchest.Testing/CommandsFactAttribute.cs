using Xunit;

namespace Orchest.Testing;

/// <summary>A fact that needs these commands on the PATH: skipped without them, except under CI=true (see <see cref="Required"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CommandsFactAttribute : FactAttribute
{
    public CommandsFactAttribute(params string[] commands)
    {
        if (Required.MissingCommand(commands) is { } missing && !Required.InCi)
        {
            Skip = $"`{missing}` is not on the PATH (under CI=true this test runs and fails instead)";
        }
    }
}

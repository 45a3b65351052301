namespace Orchest.Cli;

/// <summary>The CLI's exit codes.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The run ended FAILURE or ABORTED.</summary>
    public const int RunFailed = 1;

    /// <summary>Invalid input: arguments, pipeline files, unknown steps. Nothing was written.</summary>
    public const int InvalidInput = 2;
}

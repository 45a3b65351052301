namespace Orchest.Sdk;

/// <summary>
/// Base of the errors the step SDK raises on purpose; catch it to handle any of them in one place.
/// Each concrete error is sealed and carries the ids a caller needs.
/// </summary>
public abstract class OrchestSdkException : Exception
{
    /// <summary>Creates the error with its message.</summary>
    /// <param name="message">What went wrong, in words a step author can act on.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    private protected OrchestSdkException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

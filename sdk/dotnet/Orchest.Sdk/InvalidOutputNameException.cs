namespace Orchest.Sdk;

/// <summary>
/// An output name breaks Orchest's rules: it must not be <c>"unnamed"</c> (reserved for the unnamed
/// output, which is written with a null name) and must not contain <c>"; "</c>. The messages are
/// Orchest's (<c>DataInvalidNameError</c>). Nothing is written when this is raised.
/// </summary>
public sealed class InvalidOutputNameException : OrchestSdkException
{
    /// <summary>Creates the error.</summary>
    /// <param name="name">The rejected name.</param>
    /// <param name="message">Which rule the name breaks.</param>
    public InvalidOutputNameException(string name, string message)
        : base(message)
    {
        Name = name;
    }

    /// <summary>The rejected name.</summary>
    public string Name { get; }
}

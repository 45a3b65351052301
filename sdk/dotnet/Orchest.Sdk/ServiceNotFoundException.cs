namespace Orchest.Sdk;

/// <summary>The run has no service of that name (Orchest's <c>ServiceNotFound</c>).</summary>
public sealed class ServiceNotFoundException : OrchestSdkException
{
    /// <summary>Creates the error.</summary>
    /// <param name="name">The service asked for.</param>
    /// <param name="message">Which services the run has, or that it has none.</param>
    public ServiceNotFoundException(string name, string message)
        : base(message)
    {
        Name = name;
    }

    /// <summary>The service asked for.</summary>
    public string Name { get; }
}

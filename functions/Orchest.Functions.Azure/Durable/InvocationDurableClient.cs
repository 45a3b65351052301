using Microsoft.DurableTask.Client;

namespace Orchest.Functions.Azure.Durable;

/// <summary>
/// The task hub client of the current HTTP invocation. The Functions host hands it to a function as a
/// <c>[DurableClient]</c> binding, not through DI, so <see cref="Http.ApiHandlers"/> puts it here (one per invocation scope)
/// for <see cref="FunctionsDurableRuns"/>.
/// </summary>
internal sealed class InvocationDurableClient
{
    private DurableTaskClient? _client;

    public DurableTaskClient Client => _client
        ?? throw new InvalidOperationException("This function has no [DurableClient] binding: only triggers that start or cancel runs have one.");

    public void Use(DurableTaskClient client) => _client = client;
}

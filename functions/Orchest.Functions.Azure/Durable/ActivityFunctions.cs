using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Orchest.Durable;

namespace Orchest.Functions.Azure.Durable;

/// <summary>
/// Runs an activity of <see cref="DurableTasks"/> for an activity function, made from the invocation's services
/// exactly as <c>orchest serve</c> makes it. Activities that start or signal orchestrations get the function's
/// <c>[DurableClient]</c> binding, as the HTTP triggers do.
/// </summary>
public sealed class ActivityFunctions(DurableTasks tasks)
{
    public async Task<TOutput> RunAsync<TOutput>(string name, object input, FunctionContext function, DurableTaskClient? client = null)
    {
        if (client is not null)
        {
            function.InstanceServices.GetRequiredService<InvocationDurableClient>().Use(client);
        }

        var activity = tasks.CreateActivity(name, function.InstanceServices)
            ?? throw new InvalidOperationException($"No activity named \"{name}\" is registered.");
        return (TOutput)(await activity.RunAsync(new FunctionActivityContext(name, InstanceId(function)), input))!;
    }

    private static string InstanceId(FunctionContext function) =>
        function.BindingContext.BindingData.TryGetValue("instanceId", out var id) && id is not null ? id.ToString()! : "";
}

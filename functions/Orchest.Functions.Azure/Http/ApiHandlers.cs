using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchest.Durable.Housekeeping;
using Orchest.Functions.Api;
using Orchest.Functions.Azure.Durable;
using Orchest.Functions.Hosting;

namespace Orchest.Functions.Azure.Http;

/// <summary>
/// Runs one of <c>orchest serve</c>'s API handlers for an HTTP trigger, with the binding minimal APIs give
/// it there (<see cref="RequestDelegateFactory"/>: route values, query, JSON body, services; a bad value
/// throws, and <see cref="ApiErrorMiddleware"/> answers with the same problem as serve) and serve's body
/// limit. The handler writes the response; the trigger returns <see cref="Results.Empty"/>.
/// </summary>
public sealed class ApiHandlers(IServiceProvider services, IOptions<OrchestHostOptions> options, TimeProvider clock, ILogger<ApiHandlers> logger)
{
    /// <summary>How often an instance makes sure the housekeeping orchestration runs (on an invocation with a client binding).</summary>
    private static readonly TimeSpan HousekeepingCheck = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<MethodInfo, RequestDelegate> _delegates = new();

    /// <summary>When this instance next makes sure the housekeeping runs (UTC ticks; 0: at the first chance).</summary>
    private long _nextHousekeepingCheck;

    /// <param name="request">The trigger's request.</param>
    /// <param name="handler">The serve API's handler (a static method).</param>
    /// <param name="route">The route values the handler takes, by the names in its route template.</param>
    public async Task<IResult> InvokeAsync(HttpRequest request, Delegate handler, params (string Name, string Value)[] route)
    {
        foreach (var (name, value) in route)
        {
            request.RouteValues[name] = value;
        }

        var invoke = _delegates.GetOrAdd(handler.Method, _ => RequestDelegateFactory.Create(handler, new RequestDelegateFactoryOptions
        {
            ServiceProvider = services,
            RouteParameterNames = route.Select(r => r.Name).ToList(),
            ThrowOnBadRequest = true,
        }).RequestDelegate);
        await new BodyLimitMiddleware(invoke, options).InvokeAsync(request.HttpContext);
        return Results.Empty;
    }

    /// <summary>
    /// As the overload without a client, for handlers that start or
    /// cancel runs: they reach the task hub through the trigger's <c>[DurableClient]</c> binding, kept for this
    /// invocation (the request's services are the invocation's scope).
    /// </summary>
    public async Task<IResult> InvokeAsync(HttpRequest request, DurableTaskClient client, Delegate handler, params (string Name, string Value)[] route)
    {
        var invocation = request.HttpContext.RequestServices;
        invocation.GetRequiredService<InvocationDurableClient>().Use(client);
        await EnsureHousekeepingAsync(invocation, request.HttpContext.RequestAborted);
        return await InvokeAsync(request, handler, route);
    }

    /// <summary>
    /// The app has no hosted-service client, so invocations with a client binding keep the hub's housekeeping
    /// orchestration going: one read every <see cref="HousekeepingCheck"/> per instance, a start when it is not
    /// running. A failure is logged and never fails the request.
    /// </summary>
    private async Task EnsureHousekeepingAsync(IServiceProvider invocation, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcTicks;
        var due = Interlocked.Read(ref _nextHousekeepingCheck);
        if (now < due || Interlocked.CompareExchange(ref _nextHousekeepingCheck, now + HousekeepingCheck.Ticks, due) != due)
        {
            return;
        }

        await invocation.GetRequiredService<IDurableHousekeeping>().TryEnsureAsync(logger, cancellationToken);
    }
}

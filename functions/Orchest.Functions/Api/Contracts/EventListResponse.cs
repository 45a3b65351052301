using Orchest.Engine.Events;

namespace Orchest.Functions.Api.Contracts;

/// <summary>Events, oldest first; with a <c>continuation_token</c> when more can be read now.</summary>
public sealed record EventListResponse(IReadOnlyList<OrchestEvent> Events, string? ContinuationToken);

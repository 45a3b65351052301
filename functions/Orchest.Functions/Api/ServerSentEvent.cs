namespace Orchest.Functions.Api;

/// <summary>One Server-Sent Event: its id (null for notices), its name ("message" when it has none) and its data.</summary>
public sealed record ServerSentEvent(string? Id, string Event, string Data);

namespace Orchest.Engine.Webhooks;

/// <summary>
/// One attempt to deliver: when, from which host, how long, and the receiver's status code or why there
/// was none (refused, timed out, redirect, the host died before recording the outcome).
/// </summary>
public sealed record WebhookAttempt(int Number, DateTimeOffset Started, string Host, long? DurationMs = null, int? StatusCode = null, string? Error = null)
{
    public bool Succeeded => StatusCode is >= 200 and < 300 && Error is null;
}

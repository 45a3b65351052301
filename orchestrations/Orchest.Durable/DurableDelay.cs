namespace Orchest.Durable;

/// <summary>
/// When to set a durable timer so it fires no earlier than asked. On Azure Storage a timer is a queue
/// message whose visibility delay is sent in whole seconds, rounded down from the time left when it is
/// sent (DESIGN §10: a 3 s timer fired after 2.06 s; a 1 s timer fires at once). Asking for the delay
/// rounded up to whole seconds, plus one, makes the timer fire after at least the delay, at most ~1 s late.
/// </summary>
internal static class DurableDelay
{
    public static DateTime FireAt(DateTime now, TimeSpan delay) =>
        now + TimeSpan.FromSeconds(Math.Ceiling(Math.Max(0, delay.TotalSeconds)) + 1);
}

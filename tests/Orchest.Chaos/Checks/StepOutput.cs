namespace Orchest.Chaos.Checks;

/// <summary>What a succeeded step's committed output holds, read through the API: its token and the parents' tokens it saw.</summary>
public sealed record StepOutput(string? Token, IReadOnlyDictionary<string, string> Seen, string? Error)
{
    public static StepOutput Unreadable(string error) => new(null, new Dictionary<string, string>(), error);
}

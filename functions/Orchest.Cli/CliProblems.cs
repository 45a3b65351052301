namespace Orchest.Cli;

/// <summary>Collects every problem with the user's input so all of them are reported at once.</summary>
internal sealed class CliProblems
{
    private readonly List<string> _messages = [];

    public bool Any => _messages.Count > 0;

    public IReadOnlyList<string> Messages => _messages;

    public void Add(string message) => _messages.Add(message);

    public void AddRange(IEnumerable<string> messages) => _messages.AddRange(messages);

    /// <summary>Prints "error: ..." lines to stderr and returns the invalid-input exit code.</summary>
    public int Report(TextWriter error)
    {
        foreach (var message in _messages)
        {
            error.WriteLine($"error: {message}");
        }

        return ExitCodes.InvalidInput;
    }
}

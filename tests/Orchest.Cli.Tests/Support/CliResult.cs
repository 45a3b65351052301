using System.Text.Json.Nodes;

namespace Orchest.Cli.Tests.Support;

/// <summary>What a command printed and returned; for <c>--json</c> runs, the run record on stdout.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public IReadOnlyList<string> OutputLines => Lines(Output);

    public IReadOnlyList<string> ErrorLines => Lines(Error);

    /// <summary>The run record printed by <c>--json</c>.</summary>
    public JsonObject Record => JsonNode.Parse(Output)?.AsObject()
        ?? throw new InvalidOperationException($"stdout is not a run record:\n{Output}\nstderr:\n{Error}");

    public string Status => (string)Record["status"]!;

    /// <summary>The titles of the steps the run record lists, in its order.</summary>
    public IReadOnlyList<string> StepTitles => Steps.Select(s => (string)s["title"]!).ToList();

    public IReadOnlyList<JsonObject> Steps => Record["steps"]!.AsArray().Select(s => s!.AsObject()).ToList();

    /// <summary>Title -> status of every step in the record.</summary>
    public IReadOnlyDictionary<string, string> StepStatuses =>
        Steps.ToDictionary(s => (string)s["title"]!, s => (string)s["status"]!, StringComparer.Ordinal);

    public JsonObject Step(string title) => Steps.Single(s => (string)s["title"]! == title);

    public string Log(string title) => File.ReadAllText((string)Step(title)["log"]!);

    public IReadOnlyList<string> LogLines(string title) => Lines(Log(title));

    public DateTimeOffset Started(string title) => (DateTimeOffset)Step(title)["started"]!;

    public DateTimeOffset Finished(string title) => (DateTimeOffset)Step(title)["finished"]!;

    /// <summary>Shown by xunit when an assertion about the result fails.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";

    private static string[] Lines(string text) =>
        text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');
}

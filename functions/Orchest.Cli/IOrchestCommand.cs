using System.CommandLine;

namespace Orchest.Cli;

/// <summary>A command of <c>orchest</c>: its syntax, the help that syntax alone does not say, and what it does.</summary>
internal interface IOrchestCommand
{
    Command Command { get; }

    /// <summary>Sections <c>--help</c> prints after the options: examples, exit codes, environment.</summary>
    IReadOnlyList<HelpSection> Help { get; }

    Task<int> ExecuteAsync(ParseResult parse, TextWriter output, TextWriter error);
}

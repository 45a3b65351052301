using System.CommandLine;
using Orchest.Cli.Tests.Support;

namespace Orchest.Cli.Tests;

/// <summary>Every <c>--help</c> is ours: usage, every option, examples and exit codes; no framework boilerplate.</summary>
public sealed class HelpTests
{
    public static TheoryData<string> Commands => ["run", "validate", "pipelines", "runs", "logs", "follow", "serve"];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_EveryCommand_ShowsUsageEveryOptionExamplesAndExitCodes(string name)
    {
        var result = await OrchestCli.RunAsync(name, "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
        Assert.StartsWith($"Usage: orchest {name} ", result.Output, StringComparison.Ordinal);
        Assert.Contains("\nExamples:\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("\nExit codes:\n", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Arguments passed to the application", result.Output, StringComparison.Ordinal);
        var command = Command(name);
        Assert.All(command.Options, o => Assert.Contains(o.Name, result.Output, StringComparison.Ordinal));
        Assert.All(command.Arguments, a => Assert.Contains($"<{a.Name}>", result.Output, StringComparison.Ordinal));
        Assert.All(result.OutputLines, l => Assert.True(l.Length <= 100, $"wider than 100 columns: {l}"));
    }

    [Fact]
    public async Task Help_Serve_DescribesThePassThroughConfigurationAndKeepsItsOptions()
    {
        var result = await OrchestCli.RunAsync("serve", "--help");

        Assert.Contains("Usage: orchest serve [options] [--Section:Key=value ...]", result.OutputLines);
        Assert.Contains(result.OutputLines, l => l.StartsWith("  --urls <urls> ", StringComparison.Ordinal) && l.EndsWith("[default: http://127.0.0.1:7071]", StringComparison.Ordinal));
        Assert.Contains(result.OutputLines, l => l.StartsWith("  --roles <roles> ", StringComparison.Ordinal));
        Assert.Contains(result.OutputLines, l => l.StartsWith("  AzureWebJobsStorage ", StringComparison.Ordinal));
        Assert.Contains(result.OutputLines, l => l.StartsWith("  ORCHEST_API_KEY ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Help_NoArguments_ListsEveryCommandAndExitsZero()
    {
        var bare = await OrchestCli.RunAsync();
        var help = await OrchestCli.RunAsync("--help");

        Assert.Equal(0, bare.ExitCode);
        Assert.Equal(help.Output, bare.Output);
        Assert.StartsWith("Usage: orchest <command> [options]\n", bare.Output, StringComparison.Ordinal);
        Assert.All((IEnumerable<string>)["run", "validate", "pipelines", "runs", "logs", "follow", "serve"], name => Assert.Contains(bare.OutputLines, l => l.StartsWith($"  {name} ", StringComparison.Ordinal)));
        Assert.Contains("  --version   Print the version of orchest.", bare.OutputLines);
    }

    [Fact]
    public async Task ParseError_SaysWhichHelpToRead()
    {
        var result = await OrchestCli.RunAsync("logs", ".");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(["error: Required argument 'step' missing for command: 'logs'.", "Run \"orchest logs --help\" for usage."], result.ErrorLines);
    }

    private static Command Command(string name) => name switch
    {
        "run" => new RunCommand().Command,
        "validate" => new ValidateCommand().Command,
        "pipelines" => new PipelinesCommand().Command,
        "runs" => new RunsCommand().Command,
        "logs" => new LogsCommand().Command,
        "follow" => new FollowCommand().Command,
        _ => new ServeCommand().Command,
    };
}

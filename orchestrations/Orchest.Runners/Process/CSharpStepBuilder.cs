using Orchest.Engine.Ports;

namespace Orchest.Runners.Process;

/// <summary>
/// Makes a C# step ready to run: its file copied into the content-keyed cache (see
/// <see cref="CSharpStepCacheEntry"/>), built there once under a lock, and the <c>dotnet run</c>
/// command that runs the build. A compile error fails the step with the compiler's messages in the
/// log, naming the step file by its project-relative path.
/// </summary>
internal sealed class CSharpStepBuilder(ProcessRunnerOptions options)
{
    /// <summary>The command and the log to run the step with, or how the step failed before it ran.</summary>
    public async Task<CSharpStepLaunch> PrepareAsync(StepLaunch launch, string dotnet, IStepLog log, CancellationToken cancellationToken = default)
    {
        if (DotnetStepSdkFeed.Open(options.DotnetSdkFeed, out var problem) is not { } feed)
        {
            return await FailAsync(log, $"C# step cannot run: {problem}", 1, cancellationToken);
        }

        CSharpStepCacheEntry entry;
        string props;
        try
        {
            entry = CSharpStepCacheEntry.Create(options.CSharpCacheDirectory, launch.WorkspaceRoot, launch.StepFile, feed.Version);
            props = CSharpStepProps.Ensure(options.CSharpCacheDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return await FailAsync(
                log,
                $"C# step cannot run: the build cache \"{options.CSharpCacheDirectory}\" cannot be written ({ex.Message}); set Orchest:Runners:Process:CSharpCacheDirectory.",
                1, cancellationToken);
        }

        var rewriting = new CachePathRewritingLog(log, entry.Root);
        if (!entry.IsBuilt)
        {
            CacheLock held;
            try
            {
                held = await CacheLock.AcquireAsync(entry.LockFile, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return Stopped(rewriting);
            }

            using (held)
            {
                if (!entry.IsBuilt && await BuildAsync(launch, dotnet, entry, feed, props, rewriting, cancellationToken) is { } failed)
                {
                    return failed;
                }
            }
        }

        var command = new StepCommand(options.Dotnet, "Dotnet", CSharpStepArguments.Run(entry, feed, props), DotnetEnvironment.Variables);
        return new CSharpStepLaunch(command, rewriting, null);
    }

    private static async Task<CSharpStepLaunch?> BuildAsync(
        StepLaunch launch, string dotnet, CSharpStepCacheEntry entry, DotnetStepSdkFeed feed, string props,
        CachePathRewritingLog log, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>(DotnetEnvironment.Variables, StringComparer.Ordinal);
        foreach (var (name, value) in launch.UserEnvironment)
        {
            environment[name] = value;
        }

        var (exitCode, output) = await BuildProcess.RunAsync(
            dotnet, CSharpStepArguments.Build(entry, feed, props), launch.WorkingDirectory, environment, cancellationToken);
        if (exitCode is null)
        {
            return Stopped(log);
        }

        var lines = output.Select(log.Rewrite).Distinct(StringComparer.Ordinal).ToList();
        if (exitCode == 0)
        {
            // Warnings are shown once, on the build that found them (as dotnet run does).
            foreach (var line in lines)
            {
                await log.WriteLineAsync(line, cancellationToken);
            }

            entry.MarkBuilt();
            return null;
        }

        foreach (var line in lines)
        {
            await log.WriteLineAsync(line, cancellationToken);
        }

        var firstError = lines.FirstOrDefault(l => l.Contains(": error ", StringComparison.Ordinal));
        var message = firstError is null
            ? $"C# step {entry.RelativePath} failed to build (dotnet build exited with {exitCode})."
            : $"C# step {entry.RelativePath} failed to build: {firstError.Trim()}";
        return await FailAsync(log, message, exitCode.Value, cancellationToken);
    }

    private static CSharpStepLaunch Stopped(IStepLog log) => new(null, log, new StepExit(137, "stopped", Stopped: true));

    private static async Task<CSharpStepLaunch> FailAsync(IStepLog log, string message, int exitCode, CancellationToken cancellationToken)
    {
        await log.WriteLineAsync(message, cancellationToken);
        return new CSharpStepLaunch(null, log, new StepExit(exitCode, message));
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orchest.Engine.Ports;

namespace Orchest.Git;

public static class GitServiceCollectionExtensions
{
    /// <summary>
    /// Projects from git: <see cref="ProjectMirrors"/>, <see cref="MaterialisedCommits"/>,
    /// <see cref="ProjectPipelines"/> and <see cref="GitRunWorkspaces"/> as the <see cref="IRunWorkspaces"/>,
    /// options from <c>Orchest:Git</c> (validated at start-up), credentials from <c>Orchest:GitCredentials</c>.
    /// The host registers its <see cref="IProjectRepositories"/>.
    /// </summary>
    public static IServiceCollection AddOrchestGit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GitProjectOptions>()
            .Bind(configuration.GetSection(GitProjectOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GitProjectOptions>, GitProjectOptionsValidation>());
        services.TryAddSingleton(_ => new GitCredentials(configuration));
        services.TryAddSingleton<ProjectMirrors>();
        services.TryAddSingleton<MaterialisedCommits>();
        services.TryAddSingleton<ProjectPipelines>();
        services.TryAddSingleton<GitRunWorkspaces>();
        services.TryAddSingleton<IRunWorkspaces>(sp => sp.GetRequiredService<GitRunWorkspaces>());
        return services;
    }

    /// <summary>Fails start-up with every problem, each naming the setting to change.</summary>
    private sealed class GitProjectOptionsValidation : IValidateOptions<GitProjectOptions>
    {
        public ValidateOptionsResult Validate(string? name, GitProjectOptions options) =>
            options.Validate() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}

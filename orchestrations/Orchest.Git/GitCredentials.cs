using Microsoft.Extensions.Configuration;

namespace Orchest.Git;

/// <summary>
/// Looks up credentials by name in configuration: <c>Orchest:GitCredentials:&lt;name&gt;:Username</c>,
/// <c>:Password</c> or <c>:Token</c>, <c>:SshKeyFile</c>. Read on every use so rotated secrets apply
/// without a restart; nothing here is stored or logged.
/// </summary>
public sealed class GitCredentials(IConfiguration configuration)
{
    public const string SectionName = "Orchest:GitCredentials";

    private const string TokenUser = "x-access-token";

    /// <summary>The named credential, or null when <paramref name="name"/> is empty.</summary>
    /// <exception cref="GitRepositoryException">The name is set but configuration has nothing under it.</exception>
    public GitCredential? Find(string projectId, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        var section = configuration.GetSection(SectionName).GetSection(name);
        var username = section["Username"];
        var secret = section["Password"] is { Length: > 0 } password ? password : section["Token"];
        var keyFile = section["SshKeyFile"];
        if (string.IsNullOrEmpty(secret) && string.IsNullOrEmpty(keyFile))
        {
            throw new GitRepositoryException(
                projectId,
                $"Project {projectId} uses git credential \"{name}\", but configuration has no {SectionName}:{name}:Password, :Token or :SshKeyFile.");
        }

        return new GitCredential(name, string.IsNullOrEmpty(username) && !string.IsNullOrEmpty(secret) ? TokenUser : username, secret, keyFile);
    }
}

namespace Orchest.Git;

/// <summary>
/// Credentials for one repository, read from configuration when a fetch needs them. The secret never
/// appears in <see cref="ToString"/>.
/// </summary>
/// <param name="Name">The reference a project was registered with.</param>
/// <param name="Username">For https; a token without a user name is sent as <c>x-access-token</c>.</param>
/// <param name="Secret">Password or token for https.</param>
/// <param name="SshKeyFile">Private key file for ssh URLs (passed to ssh with <c>-i</c>).</param>
public sealed record GitCredential(string Name, string? Username, string? Secret, string? SshKeyFile)
{
    public bool HasSecret => !string.IsNullOrEmpty(Secret);

    public override string ToString() => $"GitCredential {{ Name = {Name} }}";
}

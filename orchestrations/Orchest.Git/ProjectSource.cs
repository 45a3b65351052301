namespace Orchest.Git;

/// <summary>Where a registered project's repository is.</summary>
/// <param name="Url">https, ssh (<c>ssh://</c> or <c>user@host:path</c>), <c>file://</c> URL or a local path.</param>
/// <param name="Branch">The branch a run uses when no ref is given.</param>
/// <param name="CredentialName">A name under <c>Orchest:GitCredentials</c>, or null for none.</param>
public sealed record ProjectSource(string Url, string Branch, string? CredentialName = null)
{
    public override string ToString() => $"ProjectSource {{ Url = {RepositoryUrl.Redact(Url)}, Branch = {Branch} }}";
}

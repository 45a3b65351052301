namespace Orchest.Functions.GitHooks;

/// <summary>The forge a webhook delivery comes from (it decides how the delivery is signed and shaped).</summary>
public enum GitProvider
{
    /// <summary><c>X-Hub-Signature-256: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>, <c>X-GitHub-Event</c>, <c>X-GitHub-Delivery</c>.</summary>
    GitHub,

    /// <summary><c>X-Gitea-Signature: &lt;hex HMAC-SHA256 of the body&gt;</c>, <c>X-Gitea-Event</c>, <c>X-Gitea-Delivery</c>.</summary>
    Gitea,

    /// <summary><c>X-Gitlab-Token: &lt;the secret&gt;</c>, <c>X-Gitlab-Event</c>, <c>X-Gitlab-Event-UUID</c>.</summary>
    GitLab,
}

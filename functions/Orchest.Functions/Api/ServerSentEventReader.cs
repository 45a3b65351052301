using System.Text;

namespace Orchest.Functions.Api;

/// <summary>
/// Reads a Server-Sent Events stream (what <see cref="RunEventStream"/> writes) as a browser's EventSource
/// does: <c>field: value</c> lines, an empty line ends an event, lines starting with ':' are comments, a
/// <c>retry</c> alone is no event. For clients of the stream: <c>orchest follow</c>, tests.
/// </summary>
public sealed class ServerSentEventReader(TextReader reader)
{
    /// <summary>The next event; null at the end of the stream.</summary>
    public async Task<ServerSentEvent?> ReadAsync(CancellationToken cancellationToken = default)
    {
        string? id = null, name = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0 || name is not null)
                {
                    return new ServerSentEvent(id, name ?? "message", data.ToString().TrimEnd('\n'));
                }

                continue;
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    name = value;
                    break;
                case "data":
                    data.Append(value).Append('\n');
                    break;
            }
        }

        return null;
    }
}

namespace Orchest.Testing;

/// <summary>Step code that talks to a pipeline service found through the Python SDK's <c>get_service</c>.</summary>
public static class ServiceScripts
{
    /// <summary>
    /// Defines <c>call(command)</c>: sends an inline redis command to the run's <c>redis</c> service (its
    /// <c>internal_hostname</c> and first published port) and returns the reply (a bulk string's value).
    /// </summary>
    public const string RedisClient = """
        import socket, orchest
        def call(command):
            service = orchest.get_service("redis")
            with socket.create_connection((service["internal_hostname"], service["ports"][0]), timeout=10) as s:
                s.sendall((command + "\r\n").encode())
                reply = s.makefile("rb")
                first = reply.readline().decode().strip()
                return reply.readline().decode().strip() if first.startswith("$") else first

        """;

    /// <summary>The <c>redis</c> service on the local image built by infra/local/redis-image.sh.</summary>
    public static System.Text.Json.Nodes.JsonObject RedisService() => new()
    {
        ["name"] = "redis",
        ["image"] = "orchest/redis:local",
        ["ports"] = new System.Text.Json.Nodes.JsonArray(6379),
        ["scope"] = new System.Text.Json.Nodes.JsonArray("noninteractive"),
        ["order"] = 0,
        ["exposed"] = false,
    };
}

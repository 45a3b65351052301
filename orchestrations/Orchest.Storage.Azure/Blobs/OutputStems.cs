using System.Text;

namespace Orchest.Storage.Azure.Blobs;

/// <summary>File stems of outputs (PROTOCOL §3): <c>unnamed</c>, or <c>named-</c> + the name percent-encoded as UTF-8.</summary>
public static class OutputStems
{
    public const string Unnamed = "unnamed";
    public const string DataSuffix = ".data";
    public const string MetaSuffix = ".meta.json";

    public static string Of(string? name)
    {
        if (name is null)
        {
            return Unnamed;
        }

        var builder = new StringBuilder("named-");
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}

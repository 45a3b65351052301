using System.Text;

namespace Orchest.Runners.Output;

/// <summary>
/// Turns the byte chunks of one output stream into lines. Chunks are not lines: a line (or a UTF-8
/// character) can span chunks (Docker frames, pipe reads), and a chunk can hold many lines.
/// </summary>
public sealed class LineAssembler
{
    private readonly Decoder _decoder = new UTF8Encoding(false, throwOnInvalidBytes: false).GetDecoder();
    private readonly StringBuilder _pending = new();
    private char[] _chars = new char[4096];

    /// <summary>True while text without its newline is waiting (a prompt, a progress bar).</summary>
    public bool HasFragment => _pending.Length > 0;

    /// <summary>Adds bytes and returns the lines they completed (without line terminators).</summary>
    public IReadOnlyList<string> Add(ReadOnlySpan<byte> bytes)
    {
        var needed = _decoder.GetCharCount(bytes, flush: false);
        if (needed > _chars.Length)
        {
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        }

        var count = _decoder.GetChars(bytes, _chars, flush: false);
        List<string>? lines = null;
        var start = 0;
        for (var i = 0; i < count; i++)
        {
            if (_chars[i] != '\n')
            {
                continue;
            }

            _pending.Append(_chars, start, i - start);
            (lines ??= []).Add(TakePending());
            start = i + 1;
        }

        _pending.Append(_chars, start, count - start);
        return lines ?? (IReadOnlyList<string>)[];
    }

    /// <summary>
    /// The text waiting for its newline, taken out (null when there is none). A UTF-8 character still
    /// missing bytes stays in the decoder and joins the text that follows.
    /// </summary>
    public string? TakeFragment() => _pending.Length > 0 ? TakePending() : null;

    /// <summary>The last line when the stream ended without a newline.</summary>
    public string? Flush()
    {
        var rest = _decoder.GetCharCount([], flush: true);
        if (rest > 0)
        {
            var tail = new char[rest];
            _decoder.GetChars([], tail, flush: true);
            _pending.Append(tail);
        }

        return _pending.Length > 0 ? TakePending() : null;
    }

    private string TakePending()
    {
        var length = _pending.Length;
        if (length > 0 && _pending[length - 1] == '\r')
        {
            length--;
        }

        var line = _pending.ToString(0, length);
        _pending.Clear();
        return line;
    }
}

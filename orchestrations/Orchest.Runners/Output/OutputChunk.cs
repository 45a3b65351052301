namespace Orchest.Runners.Output;

/// <summary>What one read of a step's output returned.</summary>
/// <param name="Count">Bytes read into the buffer; 0 when the output ended.</param>
/// <param name="Stream">Which stream they came from (0 stdout, 1 stderr): each is split into lines on its own.</param>
public readonly record struct OutputChunk(int Count, int Stream = 0)
{
    public static OutputChunk End => new(0);
}

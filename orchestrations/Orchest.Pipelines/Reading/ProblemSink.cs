namespace Orchest.Pipelines.Reading;

/// <summary>Collects problems about one file; every message starts with the file's path.</summary>
internal sealed class ProblemSink
{
    private readonly List<PipelineProblem> problems = [];
    private readonly bool isPipeline;

    /// <param name="location">The pipeline path, or another file's path (an environment's properties.json).</param>
    /// <param name="isPipeline">Whether <paramref name="location"/> goes into <see cref="PipelineProblem.PipelinePath"/>.</param>
    public ProblemSink(string location, bool isPipeline = true)
    {
        Location = location;
        this.isPipeline = isPipeline;
    }

    public string Location { get; }

    public IReadOnlyList<PipelineProblem> Problems => problems;

    public ProblemScope File => new(this, null, null);

    public ProblemScope Step(string uuid, string title) => new(this, uuid, title);

    public void Add(PipelineProblem problem) => problems.Add(problem);

    public void AddRange(IEnumerable<PipelineProblem> more) => problems.AddRange(more);

    /// <summary>A problem about the file as a whole; <paramref name="text"/> is the sentence after "path: ".</summary>
    public PipelineProblem Create(string code, string? field, string text) =>
        new(code, $"{Location}: {text}")
        {
            PipelinePath = isPipeline ? Location : null,
            Field = field,
        };
}

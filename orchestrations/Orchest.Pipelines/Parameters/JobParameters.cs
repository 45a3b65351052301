using System.Text.Json.Nodes;

namespace Orchest.Pipelines.Parameters;

/// <summary>
/// The parameter sets of a job: one run per set at every tick. Given as Orchest's job <c>parameters</c>
/// list (each entry replaces the pipeline parameters, and the parameters of the steps it names, wholesale:
/// an entry without <c>pipeline_parameters</c> runs with none, as in Orchest) or as a <see cref="ParameterGrid"/>
/// (each combination replaces only the parameters it names). Neither: one run with the pipeline's own.
/// </summary>
public sealed class JobParameters
{
    /// <summary>Most runs one tick may start.</summary>
    public const int MaxSets = 1000;

    private JobParameters(ParameterSource source, IReadOnlyList<ParameterSet> sets, JsonNode? given)
    {
        Source = source;
        Sets = sets;
        Given = given;
    }

    /// <summary>One run with the pipeline's own parameters.</summary>
    public static JobParameters FromPipeline { get; } = new(ParameterSource.Pipeline, [ParameterSet.Empty], null);

    public ParameterSource Source { get; }

    /// <summary>The sets in run order (a grid expanded).</summary>
    public IReadOnlyList<ParameterSet> Sets { get; }

    /// <summary>The list or grid as given (null for <see cref="ParameterSource.Pipeline"/>).</summary>
    public JsonNode? Given { get; }

    /// <summary>
    /// Reads the sets from a <c>parameters</c> list or a <c>grid</c> (at most one of them); every problem is
    /// added to <paramref name="problems"/>, named after <paramref name="listName"/> or <paramref name="gridName"/>.
    /// </summary>
    public static JobParameters? Read(JsonNode? list, JsonNode? grid, ICollection<string> problems, string listName = "parameters", string gridName = "grid")
    {
        if (list is not null && grid is not null)
        {
            problems.Add($"Give either \"{listName}\" or \"{gridName}\", not both.");
            return null;
        }

        if (grid is not null)
        {
            var parsed = ParameterGrid.Read(grid, $"\"{gridName}\"", problems);
            if (parsed is null)
            {
                return null;
            }

            if (parsed.Count > MaxSets)
            {
                problems.Add($"\"{gridName}\" makes {parsed.Count} combinations; a job starts at most {MaxSets} runs per tick.");
                return null;
            }

            return new JobParameters(ParameterSource.Grid, parsed.Expand(), grid.DeepClone());
        }

        if (list is null)
        {
            return FromPipeline;
        }

        if (list is not JsonArray entries || entries.Count == 0)
        {
            problems.Add($"\"{listName}\" must be a non-empty list of parameter sets (one run each), like [{{\"{ParameterSet.PipelineKey}\": {{...}}}}].");
            return null;
        }

        if (entries.Count > MaxSets)
        {
            problems.Add($"\"{listName}\" has {entries.Count} sets; a job starts at most {MaxSets} runs per tick.");
            return null;
        }

        var before = problems.Count;
        var sets = entries.Select((entry, i) => ParameterSet.Read(entry, $"\"{listName}\"[{i}]", problems)).ToList();
        return problems.Count == before ? new JobParameters(ParameterSource.List, sets!, list.DeepClone()) : null;
    }

    /// <summary>
    /// Applies every set to <paramref name="pipeline"/>; null when a set names a step the pipeline does not
    /// have (or a title several steps share), each such step reported once.
    /// </summary>
    public IReadOnlyList<BoundParameters>? Bind(PipelineDefinition pipeline, ICollection<string> problems)
    {
        var missing = new List<string>();
        var bound = new List<BoundParameters>();
        for (var i = 0; i < Sets.Count; i++)
        {
            var set = Sets[i];
            var steps = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            var shown = new JsonObject();
            if (set.PipelineParameters is { } given)
            {
                shown[ParameterSet.PipelineKey] = given.DeepClone();
            }

            foreach (var (reference, values) in set.StepParameters)
            {
                var found = pipeline.FindSteps(reference);
                if (found.Count != 1)
                {
                    var problem = found.Count == 0
                        ? $"The parameters name step \"{reference}\", which {pipeline.Path} does not have."
                        : $"The parameters name step \"{reference}\", a title shared by steps {string.Join(", ", found.Select(s => s.Uuid))}; use a uuid.";
                    if (!missing.Contains(problem))
                    {
                        missing.Add(problem);
                    }

                    continue;
                }

                var step = found[0];
                steps[step.Uuid] = Source == ParameterSource.Grid ? Merge(step.Parameters, values) : (JsonObject)values.DeepClone();
                shown[step.Uuid] = values.DeepClone();
            }

            var pipelineParameters = Source switch
            {
                ParameterSource.List => (JsonObject?)set.PipelineParameters?.DeepClone() ?? [],
                ParameterSource.Grid when set.PipelineParameters is { } values => Merge(pipeline.Parameters, values),
                _ => null,
            };
            bound.Add(new BoundParameters(i, pipeline.WithParameters(pipelineParameters, steps), shown));
        }

        foreach (var problem in missing)
        {
            problems.Add(problem);
        }

        return missing.Count == 0 ? bound : null;
    }

    private static JsonObject Merge(JsonObject baseline, JsonObject overrides)
    {
        foreach (var (key, value) in overrides)
        {
            baseline[key] = value?.DeepClone();
        }

        return baseline;
    }
}

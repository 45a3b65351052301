using System.Text.Json.Nodes;

namespace Orchest.Pipelines.Parameters;

/// <summary>
/// A parameter grid: per parameter a list of values, one run per combination (the Cartesian product).
/// Written <c>{"pipeline_parameters": {"foo": [1, 2]}, "&lt;step&gt;": {"bar": ["a", "b"]}}</c>; combinations
/// come in the order Orchest's job editor generated them: the first parameter varies slowest.
/// </summary>
public sealed class ParameterGrid
{
    private ParameterGrid(IReadOnlyList<GridAxis> axes) => Axes = axes;

    public IReadOnlyList<GridAxis> Axes { get; }

    /// <summary>How many combinations the grid makes (saturates at <see cref="long.MaxValue"/>).</summary>
    public long Count => Axes.Aggregate(1L, (count, axis) => count > long.MaxValue / axis.Values.Count ? long.MaxValue : count * axis.Values.Count);

    /// <summary>Every combination as a set holding only the grid's parameters, first axis slowest.</summary>
    public IReadOnlyList<ParameterSet> Expand()
    {
        var sets = new List<ParameterSet>();
        var position = new int[Axes.Count];
        while (true)
        {
            sets.Add(At(position));
            var axis = Axes.Count - 1;
            while (axis >= 0 && ++position[axis] == Axes[axis].Values.Count)
            {
                position[axis--] = 0;
            }

            if (axis < 0)
            {
                return sets;
            }
        }
    }

    /// <summary>Reads a grid; every problem is added to <paramref name="problems"/>, prefixed with <paramref name="where"/>.</summary>
    public static ParameterGrid? Read(JsonNode? node, string where, ICollection<string> problems)
    {
        if (node is not JsonObject json || json.Count == 0)
        {
            problems.Add($"{where} must be an object like {{\"{ParameterSet.PipelineKey}\": {{\"<parameter>\": [values...]}}, \"<step uuid or title>\": {{...}}}} with at least one parameter.");
            return null;
        }

        var axes = new List<GridAxis>();
        var before = problems.Count;
        foreach (var (scope, parameters) in json)
        {
            if (parameters is not JsonObject byName || byName.Count == 0)
            {
                problems.Add($"{where}.{scope} must be an object mapping parameter names to lists of values.");
                continue;
            }

            foreach (var (name, values) in byName)
            {
                if (values is not JsonArray list || list.Count == 0)
                {
                    problems.Add($"{where}.{scope}.{name} must be a non-empty list of values.");
                    continue;
                }

                axes.Add(new GridAxis(scope, name, list.Select(v => v?.DeepClone()).ToList()));
            }
        }

        return problems.Count == before ? new ParameterGrid(axes) : null;
    }

    private ParameterSet At(int[] position)
    {
        JsonObject? pipeline = null;
        var steps = new List<KeyValuePair<string, JsonObject>>();
        for (var i = 0; i < Axes.Count; i++)
        {
            var axis = Axes[i];
            JsonObject target;
            if (axis.Scope == ParameterSet.PipelineKey)
            {
                target = pipeline ??= [];
            }
            else
            {
                var at = steps.FindIndex(s => s.Key == axis.Scope);
                if (at < 0)
                {
                    steps.Add(new(axis.Scope, []));
                    at = steps.Count - 1;
                }

                target = steps[at].Value;
            }

            target[axis.Name] = axis.Values[position[i]]?.DeepClone();
        }

        return new ParameterSet(pipeline, steps);
    }
}

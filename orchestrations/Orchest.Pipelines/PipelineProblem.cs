namespace Orchest.Pipelines;

/// <summary>
/// One thing wrong with a pipeline file, an environment or a run request. <see cref="Message"/> is a
/// complete, self-contained sentence (it names the file, the step by title and uuid, and the field);
/// the other properties repeat those facts for machines (ProblemDetails, editors).
/// </summary>
/// <remarks>
/// Stable codes:
/// <list type="table">
/// <item><term>invalid_json</term><description>The text is not JSON (Line and Column are set).</description></item>
/// <item><term>invalid_root</term><description>The document is not a JSON object.</description></item>
/// <item><term>duplicate_key</term><description>A JSON object has the same property twice (the last one is used, as Python did).</description></item>
/// <item><term>duplicate_step_uuid</term><description>"steps" has the same key twice, or two steps carry the same "uuid".</description></item>
/// <item><term>unsupported_version</term><description>"version" is not one of 1.0.0 .. 1.2.3.</description></item>
/// <item><term>invalid_service</term><description>A service could not be migrated, or breaks Orchest's service rules (<see cref="Services.PipelineServices"/>: name, image, scope, order, ports, binds, variables).</description></item>
/// <item><term>missing_field</term><description>A required field is absent or empty (name, uuid, steps, a step's file_path; an environment's base_image).</description></item>
/// <item><term>invalid_field_type</term><description>A field has the wrong JSON type (Field names it).</description></item>
/// <item><term>name_too_long</term><description>The pipeline name is longer than 255 characters.</description></item>
/// <item><term>invalid_setting</term><description>A value in "settings" is out of range or of the wrong type.</description></item>
/// <item><term>invalid_retry</term><description>"settings.retry" or a step's "retry" is malformed.</description></item>
/// <item><term>step_uuid_mismatch</term><description>A step's "uuid" differs from its key in "steps".</description></item>
/// <item><term>unknown_parent</term><description>incoming_connections names a step that does not exist.</description></item>
/// <item><term>self_connection</term><description>A step lists itself in incoming_connections.</description></item>
/// <item><term>duplicate_parent</term><description>A step lists the same parent twice.</description></item>
/// <item><term>cycle</term><description>The steps form a cycle (one problem per strongly connected group, naming one cycle).</description></item>
/// <item><term>path_escapes_project</term><description>file_path is absolute, climbs out with "..", or is a symbolic link resolving outside the project.</description></item>
/// <item><term>step_file_missing</term><description>The step's file does not exist.</description></item>
/// <item><term>step_file_is_directory</term><description>The step's file_path names a directory.</description></item>
/// <item><term>unsupported_file_type</term><description>The step's file extension cannot be run.</description></item>
/// <item><term>unknown_environment</term><description>The step names an environment uuid the project does not have.</description></item>
/// <item><term>environment_uuid_mismatch</term><description>properties.json "uuid" differs from its folder name.</description></item>
/// <item><term>unknown_step</term><description>A run request names a step that is neither a uuid nor a title in the pipeline.</description></item>
/// <item><term>ambiguous_step_title</term><description>A run request names a title that several steps share.</description></item>
/// <item><term>empty_selection</term><description>A selection or incoming run names no steps.</description></item>
/// <item><term>empty_run</term><description>The requested run contains no steps (e.g. incoming of root steps).</description></item>
/// <item><term>services_unavailable</term><description>The pipeline declares services and the runner that would run it cannot start them (<see cref="ServiceSupport"/>).</description></item>
/// </list>
/// </remarks>
public sealed record PipelineProblem(string Code, string Message)
{
    /// <summary>Project-relative path of the pipeline file, when the problem is about one.</summary>
    public string? PipelinePath { get; init; }

    public string? StepUuid { get; init; }

    public string? StepTitle { get; init; }

    /// <summary>The JSON field, relative to the step when <see cref="StepUuid"/> is set (e.g. "incoming_connections"),
    /// otherwise from the document root (e.g. "settings.max_steps_parallelism").</summary>
    public string? Field { get; init; }

    /// <summary>1-based line, for problems found while reading the JSON text.</summary>
    public int? Line { get; init; }

    /// <summary>1-based column in characters, for problems found while reading the JSON text.</summary>
    public int? Column { get; init; }
}

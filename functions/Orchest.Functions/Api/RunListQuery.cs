using Orchest.Engine.Runs;

namespace Orchest.Functions.Api;

/// <summary>The query of a run listing (a project's runs, a job's runs): the status wanted and the page size, checked.</summary>
internal static class RunListQuery
{
    /// <summary>The status to keep (null: every run); each problem is added to <paramref name="errors"/>.</summary>
    public static ExecutionStatus? Read(string? status, int? pageSize, List<string> errors)
    {
        ExecutionStatus? wanted = null;
        if (status is not null)
        {
            if (ExecutionStatusText.TryParse(status, out var parsed))
            {
                wanted = parsed;
            }
            else
            {
                errors.Add($"\"status\" \"{status}\" is not one of PENDING, STARTED, SUCCESS, FAILURE, ABORTED.");
            }
        }

        if (pageSize is < 1 or > 200)
        {
            errors.Add("\"page_size\" must be between 1 and 200.");
        }

        return wanted;
    }
}

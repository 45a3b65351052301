using Microsoft.AspNetCore.Http.HttpResults;

namespace Orchest.Functions.Ui;

/// <summary>
/// The UI's forms go through the API's own handlers (same validation, same messages, same logs); this
/// turns their problem answers into the lines a form shows.
/// </summary>
internal static class UiProblems
{
    public static IReadOnlyList<string> Messages(IResult result) => result switch
    {
        ProblemHttpResult { ProblemDetails: var problem } when problem.Extensions.TryGetValue("errors", out var errors)
            && errors is IEnumerable<string> list && list.Any() => list.ToList(),
        ProblemHttpResult { ProblemDetails: var problem } => [problem.Detail ?? problem.Title ?? "The request failed."],
        _ => ["The request failed."],
    };

    public static int Status(IResult result) => result is IStatusCodeHttpResult { StatusCode: { } status } ? status : StatusCodes.Status400BadRequest;
}

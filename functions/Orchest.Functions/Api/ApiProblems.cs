namespace Orchest.Functions.Api;

/// <summary>The API's error responses, all RFC 9457 problem details with a specific <c>detail</c>.</summary>
internal static class ApiProblems
{
    public static IResult Unauthorized(string detail) => Problem(StatusCodes.Status401Unauthorized, "Unauthorized", detail);

    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult Conflict(string detail) => Problem(StatusCodes.Status409Conflict, "Conflict", detail);

    public static IResult TooLarge(long limit) => Problem(
        StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The request body is larger than the limit of {limit} bytes (Orchest:MaxRequestBodyBytes).");

    /// <summary>400 listing every problem; <c>errors</c> carries them one by one.</summary>
    public static IResult Invalid(string detail, IReadOnlyList<string> errors) => TypedResults.Problem(
        title: "Invalid request",
        statusCode: StatusCodes.Status400BadRequest,
        detail: errors.Count == 0 ? detail : $"{detail}: {string.Join(" ", errors)}",
        extensions: new Dictionary<string, object?> { ["errors"] = errors });

    public static IResult Invalid(string detail) => Invalid(detail, []);

    private static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(title: title, statusCode: status, detail: detail);
}

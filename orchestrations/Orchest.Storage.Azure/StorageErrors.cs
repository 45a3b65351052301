using Azure;

namespace Orchest.Storage.Azure;

/// <summary>
/// The one place storage SDK failures become <see cref="AzureStorageException"/>. Callers handle the
/// statuses they expect (404, 409, 412) themselves and let everything else through here.
/// </summary>
internal static class StorageErrors
{
    public static async Task<T> GuardAsync<T>(string operation, Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (Translate(operation, ex) is { } translated)
        {
            throw translated;
        }
    }

    public static async Task GuardAsync(string operation, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (Translate(operation, ex) is { } translated)
        {
            throw translated;
        }
    }

    public static T Guard<T>(string operation, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (Translate(operation, ex) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>The translated exception, or null for exceptions that are not storage failures (cancellation, bugs).</summary>
    public static AzureStorageException? Translate(string operation, Exception exception) => exception switch
    {
        RequestFailedException rfe => new AzureStorageException(operation, rfe.Status, rfe.ErrorCode, FirstLine(rfe.Message), rfe),
        AggregateException { InnerExceptions: [RequestFailedException or HttpRequestException, ..] } agg =>
            new AzureStorageException(operation, (agg.InnerExceptions[^1] as RequestFailedException)?.Status ?? 0, null, FirstLine(agg.InnerExceptions[^1].Message), agg),
        HttpRequestException http => new AzureStorageException(operation, 0, null, FirstLine(http.Message), http),
        System.Text.Json.JsonException json => new AzureStorageException(operation, 0, "MalformedDocument", "a stored document could not be read: " + FirstLine(json.Message), json),
        _ => null,
    };

    public static bool IsStatus(this Exception exception, int status) =>
        exception is RequestFailedException rfe && rfe.Status == status;

    private static string FirstLine(string message)
    {
        // SDK messages continue with headers and content; the first line says what went wrong
        // (the SDK redacts SAS signatures, and we keep only this line anyway).
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}

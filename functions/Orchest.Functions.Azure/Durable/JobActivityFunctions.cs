using Microsoft.DurableTask.Client;
using Orchest.Durable.Jobs;
using Orchest.Engine.Jobs;

namespace Orchest.Functions.Azure.Durable;

/// <summary>
/// A job's activities as activity functions. Starting a tick's runs and cancelling them reach the task hub
/// through the function's <c>[DurableClient]</c> binding.
/// </summary>
public sealed class JobActivityFunctions(ActivityFunctions activities)
{
    [Function(StartJobTickActivity.Name)]
    public Task<JobTickResult> StartTickAsync([ActivityTrigger] JobTickInput input, [DurableClient] DurableTaskClient client, FunctionContext function) =>
        activities.RunAsync<JobTickResult>(StartJobTickActivity.Name, input, function, client);

    [Function(RecordJobActivity.Name)]
    public Task<bool> RecordAsync([ActivityTrigger] JobProgress input, FunctionContext function) =>
        activities.RunAsync<bool>(RecordJobActivity.Name, input, function);

    [Function(CountJobRunsActivity.Name)]
    public Task<JobRunCounts> CountRunsAsync([ActivityTrigger] string input, FunctionContext function) =>
        activities.RunAsync<JobRunCounts>(CountJobRunsActivity.Name, input, function);

    [Function(CancelJobRunsActivity.Name)]
    public Task<int> CancelRunsAsync([ActivityTrigger] CancelJobRunsInput input, [DurableClient] DurableTaskClient client, FunctionContext function) =>
        activities.RunAsync<int>(CancelJobRunsActivity.Name, input, function, client);
}

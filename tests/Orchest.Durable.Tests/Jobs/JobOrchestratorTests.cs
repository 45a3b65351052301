using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Orchest.Durable.Jobs;
using Orchest.Engine.Jobs;

namespace Orchest.Durable.Tests.Jobs;

/// <summary>
/// A job's orchestration given results that are not its calls' own: what a killed host's episode that numbered its
/// calls otherwise delivers under their numbers (Durable Task matches a result to its call by number alone), here
/// as the Durable Task SDK hands them over: another call's result read as this call's type, no result, or one it
/// cannot read. The served <c>LateEpisodeMessageTests</c> send such results to a real job.
/// </summary>
public sealed class JobOrchestratorTests
{
    private const string JobId = "job-1";

    private static readonly DateTime Start = new(2026, 12, 7, 4, 0, 0, DateTimeKind.Utc);

    /// <summary>How the hosts read a call's result (<c>OrchestTaskHub</c>).</summary>
    private static readonly JsonDataConverter Converter = new(DurableJson.Options);

    [Fact]
    public async Task Tick_AnsweredWithAnotherTicksResult_CallsAgainAndCountsOnlyItsOwnRuns()
    {
        var context = new JobContext();
        context.Answer(StartJobTickActivity.Name, new JobTickResult(["other-1", "other-2", "other-3"], [], 1, null) { Key = "trigger:another", Sequence = 1 });

        await new JobOrchestrator().RunAsync(context, OneOff());

        var calls = context.Inputs<JobTickInput>(StartJobTickActivity.Name);
        Assert.Equal(2, calls.Count);
        Assert.Equal(calls[0], calls[1]);
        var next = Assert.IsType<JobOrchestrationInput>(context.ContinuedWith);
        Assert.Equal((1L, 1L, true), (next.Ticks, next.Runs, next.Watching));
    }

    [Fact]
    public async Task RunCount_AnsweredWithOtherResults_CountsAgainAndEndsOnItsOwnCount()
    {
        var context = new JobContext();
        context.Answer(CountJobRunsActivity.Name, new JobRunCounts(0, 0, 0, 0) { JobId = "job-2" });
        context.Answer(CountJobRunsActivity.Name, null);
        context.Answer(CountJobRunsActivity.Name, Unreadable<JobRunCounts>(TickResult("at:x"))); // a tick's result
        context.Answer(CountJobRunsActivity.Name, new JobRunCounts(1, 0, 0, 0) { JobId = JobId });
        context.Answer(CountJobRunsActivity.Name, new JobRunCounts(0, 0, 1, 0) { JobId = JobId });

        // Its own first count says a run goes: it waits and looks again (a new execution), which ends the job.
        Assert.Equal("STARTED", await new JobOrchestrator().RunAsync(context, Watching()));
        Assert.Equal(4, context.Inputs<string>(CountJobRunsActivity.Name).Count);
        Assert.Empty(context.Inputs<JobProgress>(RecordJobActivity.Name));
        var next = Assert.IsType<JobOrchestrationInput>(context.ContinuedWith);

        Assert.Equal("FAILURE", await new JobOrchestrator().RunAsync(context, next));
        var record = Assert.Single(context.Inputs<JobProgress>(RecordJobActivity.Name));
        Assert.Equal((JobStatus.Failure, "1 of 1 runs failed."), (record.State.Status, record.State.Message));
    }

    [Fact]
    public async Task Calls_NeverAnsweredWithTheirOwnResult_EndTheJobFailureWithWhy()
    {
        var context = new JobContext();
        for (var i = 0; i < 10; i++)
        {
            context.Answer(CountJobRunsActivity.Name, null);
        }

        Assert.Equal("FAILURE", await new JobOrchestrator().RunAsync(context, Watching()));

        Assert.Equal(10, context.Inputs<string>(CountJobRunsActivity.Name).Count);
        var record = Assert.Single(context.Inputs<JobProgress>(RecordJobActivity.Name));
        Assert.Equal((JobStatus.Failure, JobStatus.Started), (record.State.Status, record.PreviousStatus));
        Assert.Equal("The job's orchestration failed: 10 calls of CountJobRuns got results not their own, the last no result.", record.State.Message);
    }

    [Fact]
    public async Task Results_OfHostsThatDidNotNameTheirCall_AreTakenAsTheirOwn()
    {
        var context = new JobContext();
        context.Answer(StartJobTickActivity.Name, new JobTickResult(["run-1"], [], 1, null) { Sequence = 1 });
        context.Answer(CountJobRunsActivity.Name, new JobRunCounts(0, 1, 0, 0));

        await new JobOrchestrator().RunAsync(context, OneOff());
        var next = Assert.IsType<JobOrchestrationInput>(context.ContinuedWith);
        Assert.Equal("SUCCESS", await new JobOrchestrator().RunAsync(context, next));

        Assert.Single(context.Inputs<JobTickInput>(StartJobTickActivity.Name));
        Assert.Single(context.Inputs<string>(CountJobRunsActivity.Name));
        Assert.Equal(JobStatus.Success, Assert.Single(context.Inputs<JobProgress>(RecordJobActivity.Name)).State.Status);
    }

    /// <summary>
    /// Each write of the job's state carries the next number, also in the job's next executions (continue as new), so
    /// the store keeps the orchestration's latest write whatever order late executions of its activities come in.
    /// </summary>
    [Fact]
    public async Task StateWrites_AreNumberedInTheOrderMade_AcrossExecutions_AndKeepTheLastTicksTime()
    {
        var context = new JobContext();
        context.Answer(CountJobRunsActivity.Name, new JobRunCounts(1, 0, 0, 0) { JobId = JobId });

        await new JobOrchestrator().RunAsync(context, OneOff());
        var watching = Assert.IsType<JobOrchestrationInput>(context.ContinuedWith);
        Assert.Equal("STARTED", await new JobOrchestrator().RunAsync(context, watching));
        var again = Assert.IsType<JobOrchestrationInput>(context.ContinuedWith);
        Assert.Equal("SUCCESS", await new JobOrchestrator().RunAsync(context, again));

        var tick = Assert.Single(context.Inputs<JobTickInput>(StartJobTickActivity.Name));
        Assert.Equal(1L, tick.State.Record);
        Assert.Equal((1L, 1L), (watching.Records, again.Records));
        var record = Assert.Single(context.Inputs<JobProgress>(RecordJobActivity.Name));
        Assert.Equal((JobStatus.Success, 2L), (record.State.Status, record.State.Record));

        // A write that is no tick still shows when the last tick ran (it was left out before: the ended job showed none).
        Assert.Equal(tick.ScheduledFor, record.State.LastScheduled);
    }

    /// <summary>Another call's result cannot be read as a tick's result or as counts: each requires its fields.</summary>
    [Fact]
    public void Results_OfAnotherKindOfCall_CannotBeReadAsTicksOrCounts()
    {
        var counts = JsonSerializer.Serialize(new JobRunCounts(0, 1, 0, 0) { JobId = JobId }, DurableJson.Options);
        Assert.NotNull(Unreadable<JobRunCounts>(TickResult("at:x")));
        Assert.NotNull(Unreadable<JobRunCounts>("true"));
        Assert.NotNull(Unreadable<JobTickResult>(counts));
        Assert.NotNull(Unreadable<JobTickResult>("3"));

        // Their own results read back whole.
        Assert.Equal(new JobRunCounts(0, 1, 0, 0) { JobId = JobId }, Converter.Deserialize<JobRunCounts>(counts));
        Assert.Equal("at:x", Converter.Deserialize<JobTickResult>(TickResult("at:x"))!.Key);
    }

    private static string TickResult(string key) =>
        JsonSerializer.Serialize(new JobTickResult(["run-1"], [], 1, null) { Key = key, Sequence = 1 }, DurableJson.Options);

    /// <summary>What the Durable Task SDK throws when the <paramref name="json"/> a call got cannot be read as its result type.</summary>
    private static JsonException? Unreadable<T>(string json)
    {
        try
        {
            Converter.Deserialize<T>(json);
            return null;
        }
        catch (JsonException ex)
        {
            return ex;
        }
    }

    /// <summary>A one-off job to run as soon as it is confirmed, in its first execution.</summary>
    private static JobOrchestrationInput OneOff() => new()
    {
        JobId = JobId,
        Schedule = new JobSchedule(),
        Confirmed = Start.AddSeconds(-1),
        Status = JobStatus.Pending,
        MisfireThreshold = TimeSpan.FromMinutes(5),
    };

    /// <summary>That job with its tick's one run started, watching it.</summary>
    private static JobOrchestrationInput Watching() => OneOff() with
    {
        Status = JobStatus.Started,
        Horizon = Start.AddSeconds(-1),
        Ticks = 1,
        Runs = 1,
        Watching = true,
    };

    /// <summary>
    /// Answers a job's activity calls with what a test queued for that activity (a result, or an exception the SDK
    /// would throw), then with the call's own result: a tick's one run, a count of one finished run, a record.
    /// </summary>
    private sealed class JobContext() : ScriptedContext(JobOrchestrator.Name, JobOrchestrator.InstanceId(JobId), Start)
    {
        private readonly Dictionary<string, Queue<object?>> _answers = [];
        private readonly List<(string Activity, object? Input)> _calls = [];

        public void Answer(string activity, object? answer)
        {
            if (!_answers.TryGetValue(activity, out var queue))
            {
                _answers[activity] = queue = new Queue<object?>();
            }

            queue.Enqueue(answer);
        }

        public List<T> Inputs<T>(string activity) => _calls.Where(c => c.Activity == activity).Select(c => (T)c.Input!).ToList();

        public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
        {
            _calls.Add((name.Name, input));
            var answer = _answers.TryGetValue(name.Name, out var queue) && queue.Count > 0 ? queue.Dequeue() : Own(name.Name, input);
            return answer is Exception exception ? Task.FromException<TResult>(exception) : Task.FromResult((TResult)answer!);
        }

        private static object Own(string activity, object? input) => activity switch
        {
            StartJobTickActivity.Name when input is JobTickInput tick =>
                new JobTickResult(["run-1"], [], 1, null) { Key = tick.Key, Sequence = tick.Sequence, Skipped = tick.Skipped },
            CountJobRunsActivity.Name => new JobRunCounts(0, 1, 0, 0) { JobId = JobId },
            RecordJobActivity.Name => true,
            _ => throw new NotSupportedException(activity),
        };
    }
}

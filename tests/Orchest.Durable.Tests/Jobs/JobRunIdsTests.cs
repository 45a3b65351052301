using Orchest.Durable.Jobs;
using Orchest.Engine.Jobs;

namespace Orchest.Durable.Tests.Jobs;

public sealed class JobRunIdsTests
{
    [Fact]
    public void For_SameTickAndIndex_IsTheSameUuid()
    {
        var key = JobRunIds.ScheduledKey(new DateTimeOffset(2026, 12, 5, 10, 0, 2, TimeSpan.Zero));

        Assert.Equal(JobRunIds.For("job", key, 1), JobRunIds.For("job", key, 1));
        Assert.Equal("at:2026-12-05T10:00:02.000Z", key);
    }

    [Fact]
    public void For_DifferentJobTickOrIndex_Differs()
    {
        var ids = new[]
        {
            JobRunIds.For("job", "at:a", 0), JobRunIds.For("job", "at:a", 1), JobRunIds.For("job", "at:b", 0), JobRunIds.For("other", "at:a", 0),
        };

        Assert.Equal(4, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id));
    }

    [Theory]
    [InlineData(1, 0, 0, null)]
    [InlineData(0, 3, 0, JobStatus.Success)]
    [InlineData(0, 2, 1, JobStatus.Failure)]
    [InlineData(0, 0, 0, JobStatus.Success)]
    public void RollUp_IsOrchests(int active, int succeeded, int failed, JobStatus? expected)
    {
        Assert.Equal(expected, JobOutcome.RollUp(new JobRunCounts(active, succeeded, failed, Aborted: 1)));
    }
}

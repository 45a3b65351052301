namespace Orchest.Pipelines.Tests;

public sealed class RetryPolicyTests
{
    [Fact]
    public void None_IsOneAttemptWithDefaultBackoff()
    {
        Assert.Equal(new RetryPolicy(1, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(300)), RetryPolicy.None);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(6, 160)]
    [InlineData(7, 300)]
    [InlineData(1000, 300)]
    public void DelayBefore_Retry_DoublesUpToCap(int attempt, double seconds)
    {
        var policy = new RetryPolicy(10, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(300));

        Assert.Equal(TimeSpan.FromSeconds(seconds), policy.DelayBefore(attempt));
    }

    [Fact]
    public void DelayBefore_ZeroBackoff_IsZero()
    {
        Assert.Equal(TimeSpan.Zero, new RetryPolicy(3, TimeSpan.Zero, TimeSpan.FromSeconds(300)).DelayBefore(3));
    }

    [Fact]
    public void DelayBefore_AttemptBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.None.DelayBefore(0));
    }
}

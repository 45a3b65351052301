using Orchest.Engine.Runs;
using Orchest.Storage.Azure.Tables;

namespace Orchest.Storage.Azure.Tests.Support;

/// <summary>Record equality by stored content (records hold lists, which compare by reference).</summary>
internal static class RecordAssert
{
    public static void SameRun(RunRecord expected, RunRecord actual) =>
        Assert.Equal(RecordJson.Serialize(expected with { Version = "" }), RecordJson.Serialize(actual with { Version = "" }));

    public static void SameSteps(IEnumerable<StepRecord> expected, IEnumerable<StepRecord> actual) =>
        Assert.Equal(
            expected.Select(s => RecordJson.Serialize(s with { Version = "" })),
            actual.Select(s => RecordJson.Serialize(s with { Version = "" })));
}

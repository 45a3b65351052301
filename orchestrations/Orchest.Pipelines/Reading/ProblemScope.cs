namespace Orchest.Pipelines.Reading;

/// <summary>Where a problem is: the whole file, or one step of it (then messages name the step).</summary>
internal readonly record struct ProblemScope(ProblemSink Sink, string? StepUuid, string? StepTitle)
{
    public void Add(string code, string? field, string text)
    {
        if (StepUuid is null)
        {
            Sink.Add(Sink.Create(code, field, text));
            return;
        }

        Sink.Add(Sink.Create(code, field, $"{ProblemText.Step(StepTitle ?? "", StepUuid)}: {text}") with
        {
            StepUuid = StepUuid,
            StepTitle = StepTitle,
        });
    }
}

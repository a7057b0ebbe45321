namespace Webinars.Publishing;

/// <summary>
/// What the live Q&amp;A recorded for a webinar. Until the live Q&amp;A's questions and attendance are in this branch, it
/// knows nothing: the draft lists no questions and every confirmed registrant counts as absent.
/// </summary>
public sealed class LiveQaHappenings : IWebinarHappenings
{
    public Task<WebinarHappenings> LoadAsync(Guid webinarId, CancellationToken ct) => Task.FromResult(WebinarHappenings.Nothing);
}

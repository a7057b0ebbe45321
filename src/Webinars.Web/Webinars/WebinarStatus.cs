namespace Webinars.Webinars;

public enum WebinarStatus
{
    Draft,
    Announced,
    Live,
    Ended,
    Published,
    Cancelled,
}

/// <summary>The one place that says which status changes are allowed.</summary>
public static class WebinarTransitions
{
    private static readonly Dictionary<WebinarStatus, WebinarStatus[]> Allowed = new()
    {
        [WebinarStatus.Draft] = [WebinarStatus.Announced, WebinarStatus.Cancelled],
        [WebinarStatus.Announced] = [WebinarStatus.Live, WebinarStatus.Ended, WebinarStatus.Cancelled],
        [WebinarStatus.Live] = [WebinarStatus.Ended],
        [WebinarStatus.Ended] = [WebinarStatus.Published],
        [WebinarStatus.Published] = [],
        [WebinarStatus.Cancelled] = [],
    };

    public static bool CanMove(WebinarStatus from, WebinarStatus to) => Allowed[from].Contains(to);
}

namespace Webinars.Webinars;

/// <summary>A reason a webinar may not be announced yet (features add their own, e.g. payments without keys).</summary>
public interface IAnnouncementCheck
{
    /// <summary>A sentence for staff naming what to fix, or null when nothing stands in the way.</summary>
    string? Refusal(Webinar webinar);
}

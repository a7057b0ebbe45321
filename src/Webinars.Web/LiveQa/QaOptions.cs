using System.ComponentModel.DataAnnotations;
using NodaTime;
using Webinars.Webinars;

namespace Webinars.LiveQa;

/// <summary>Section <c>Qa</c>: when the live Q&amp;A is open around a webinar's schedule.</summary>
public sealed class QaOptions
{
    public const string Section = "Qa";

    [Range(0, 24 * 60)]
    public int OpensBeforeMinutes { get; set; } = 30;

    [Range(0, 24 * 60)]
    public int ClosesAfterMinutes { get; set; } = 30;

    /// <summary>How often each instance re-checks its attendee connections (cancelled registrations, attendance).</summary>
    [Range(1, 600)]
    public int SweepSeconds { get; set; } = 5;

    public Instant OpensAt(Webinar w) => w.StartsAt - Duration.FromMinutes(OpensBeforeMinutes);

    public Instant ClosesAt(Webinar w) => w.EndsAt + Duration.FromMinutes(ClosesAfterMinutes);

    /// <summary>Staff's close wins over everything; staff's open over the clock; otherwise the window around the schedule.</summary>
    public string? Closed(Webinar w, Instant now)
    {
        if (w.Status == WebinarStatus.Cancelled) return "The webinar was cancelled; questions are closed.";
        if (w.QaClosedAt is not null) return "The organisers have closed questions for this webinar.";
        if (w.QaOpenedByStaff) return null;
        if (now < OpensAt(w)) return $"Questions open {OpensBeforeMinutes} minutes before the webinar starts.";
        if (now >= ClosesAt(w)) return "Questions for this webinar are closed.";
        return null;
    }
}

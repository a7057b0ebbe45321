using NodaTime;
using NodaTime.Text;
using Webinars.Publishing;
using Webinars.Time;

namespace Webinars.Webinars;

public sealed record TopicRef(string Slug, string Name);
public sealed record SpeakerView(string Name, string Honorific, string Affiliation, SpeakerRole Role, string DisplayName);
public sealed record PriceView(long Amount, string Currency, string Text);

/// <summary>A webinar as the API and the pages show it: every time in the host zone, the display zones and the viewer's.</summary>
public sealed record WebinarView(
    string Slug,
    TopicRef Topic,
    string Title,
    string Summary,
    string SummaryHtml,
    WebinarStatus Status,
    string HostZone,
    LocalDateTime LocalStart,
    string Offset,
    Instant StartUtc,
    Instant EndUtc,
    int DurationMinutes,
    string Headline,
    IReadOnlyList<DisplayTime> DisplayTimes,
    DisplayTime? ViewerTime,
    IReadOnlyList<SpeakerView> Speakers,
    int? Capacity,
    int? SeatsLeft,
    bool Waitlist,
    bool RequiresApproval,
    Instant? RegistrationOpensAt,
    Instant? RegistrationClosesAt,
    PriceView? Price,
    string? JoinUrl,
    int Sequence,
    int Version,
    RecordingView? Recording,
    RecapView? Recap,
    IReadOnlyList<Payments.TicketTypeView>? TicketTypes = null)
{
    public DisplayTime HostTime => DisplayTimes[0];

    /// <summary>
    /// The status a reader should see at <paramref name="now"/>: an announced webinar reads as live between its start and
    /// end and as ended afterwards. Only for display; the stored <see cref="Status"/> is left as it is.
    /// </summary>
    public WebinarStatus StatusAt(Instant now) => Status switch
    {
        WebinarStatus.Announced when now >= EndUtc => WebinarStatus.Ended,
        WebinarStatus.Announced when now >= StartUtc => WebinarStatus.Live,
        WebinarStatus.Live when now >= EndUtc => WebinarStatus.Ended,
        _ => Status,
    };

    /// <summary>How a status reads on the pages.</summary>
    public static string StatusText(WebinarStatus status) => status switch
    {
        WebinarStatus.Live => "Live now",
        _ => status.ToString(),
    };

    /// <param name="viewerZone">The reader's zone (from ?tz=, a cookie or the browser), when known.</param>
    /// <param name="includeJoinUrl">Only staff and confirmed attendees ever see the join URL.</param>
    public static WebinarView From(Webinar w, DateTimeZone? viewerZone = null, bool includeJoinUrl = false)
    {
        var host = DateTimeZoneProviders.Tzdb[w.HostZoneId];
        var others = w.DisplayZoneIds.Where(id => id != w.HostZoneId).Select(id => DateTimeZoneProviders.Tzdb[id]).ToList();
        var displayTimes = new List<DisplayTime> { TimeText.For(w.StartsAt, w.Length, host) };
        displayTimes.AddRange(others.Select(z => TimeText.For(w.StartsAt, w.Length, z)));

        return new WebinarView(
            w.Slug,
            new TopicRef(w.Topic.Slug, w.Topic.Name),
            w.Title,
            w.Summary,
            w.SummaryHtml,
            w.Status,
            w.HostZoneId,
            w.LocalStart,
            OffsetPattern.GeneralInvariantWithZ.Format(w.StartOffset) is "Z" ? "+00:00" : OffsetPattern.CreateWithInvariantCulture("+HH:mm").Format(w.StartOffset),
            w.StartsAt,
            w.EndsAt,
            w.DurationMinutes,
            TimeText.Headline(w.StartsAt, w.Length, host, others),
            displayTimes,
            viewerZone is null ? null : TimeText.For(w.StartsAt, w.Length, viewerZone),
            w.Speakers.OrderBy(s => s.Order).Select(s => new SpeakerView(s.Name, s.Honorific, s.Affiliation, s.Role, s.DisplayName)).ToList(),
            w.Capacity,
            w.SeatsLeft,
            w.Waitlist,
            w.RequiresApproval,
            w.RegistrationOpensAt,
            w.RegistrationClosesAt,
            w.PriceAmount is long amount ? new PriceView(amount, w.PriceCurrency!, Payments.Money.Text(amount, w.PriceCurrency!)) : null,
            includeJoinUrl ? w.JoinUrl : null,
            w.Sequence,
            w.Version,
            // Readers see the recording and recap once published (staff work on them on the publishing page).
            Recording: w.Publication?.IsPublished == true ? PublishingApi.Recording(w.Publication) : null,
            Recap: PublishingApi.Recap(w.Publication, staff: false),
            // Loaded where one webinar is shown (the API's GET and the pages); a paid webinar with types sells only those.
            TicketTypes: w.PriceCurrency is { } currency && w.TicketTypes.Count > 0
                ? w.TicketTypes.OrderBy(t => t.Order).ThenBy(t => t.Key).Select(t => Payments.TicketTypeView.From(t, currency)).ToList()
                : null);
    }
}

using NodaTime;
using NodaTime.Text;
using Webinars.Infrastructure;
using Webinars.Time;

namespace Webinars.Webinars;

/// <summary>The body of POST and PUT /api/webinars, also bound by the staff edit page. Everything arrives as text
/// so that every mistake can be answered with the field's name and a reason.</summary>
public sealed class WebinarInput
{
    public string? Topic { get; set; }
    public string? Title { get; set; }
    public string? Summary { get; set; }
    public string? HostZone { get; set; }
    public string? LocalStart { get; set; }
    public string? Offset { get; set; }
    public int? DurationMinutes { get; set; }
    public List<string>? DisplayZones { get; set; }
    public int? Capacity { get; set; }
    public bool? Waitlist { get; set; }
    public bool? RequiresApproval { get; set; }
    public PriceInput? Price { get; set; }
    public List<SpeakerInput>? Speakers { get; set; }
    public string? JoinUrl { get; set; }
    public string? RegistrationOpensAt { get; set; }
    public string? RegistrationClosesAt { get; set; }

    /// <summary>
    /// On PUT: the <c>version</c> the editor read. When someone else saved since, the edit is refused with 409 and the
    /// current values, instead of overwriting theirs. Left out, the edit applies to whatever is current.
    /// </summary>
    public int? Version { get; set; }
}

public sealed class PriceInput
{
    public long? Amount { get; set; }
    public string? Currency { get; set; }
}

public sealed class SpeakerInput
{
    public string? Name { get; set; }
    public string? Honorific { get; set; }
    public string? Affiliation { get; set; }
    public string? Role { get; set; }
}

/// <summary>A validated <see cref="WebinarInput"/>: the schedule is resolved in the host zone, nothing is guessed.</summary>
public sealed record WebinarDraft(
    string TopicSlug,
    string Title,
    string Summary,
    DateTimeZone HostZone,
    ZonedDateTime Start,
    int DurationMinutes,
    List<string> DisplayZoneIds,
    int? Capacity,
    bool Waitlist,
    bool RequiresApproval,
    long? PriceAmount,
    string? PriceCurrency,
    List<Speaker> Speakers,
    string? JoinUrl,
    Instant? RegistrationOpensAt,
    Instant? RegistrationClosesAt);

public static class WebinarValidation
{
    public const int MaxDurationMinutes = 24 * 60;
    public const int MaxCapacity = 1_000_000;
    public const int MinYear = 1900;
    public const int MaxYear = 2200;
    private static readonly LocalDateTimePattern LocalWithSeconds = LocalDateTimePattern.ExtendedIso;
    private static readonly LocalDateTimePattern LocalWithoutSeconds = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");

    public static WebinarDraft? Validate(WebinarInput input, FieldErrors errors, IDictionary<string, object?> extensions)
    {
        var topic = errors.Required("topic", input.Topic, Webinar.MaxSlugLength);
        var title = errors.Required("title", input.Title, Webinar.MaxTitleLength);
        var summary = errors.Bounded("summary", input.Summary, Webinar.MaxSummaryLength) ?? "";
        var zone = Zone(errors, "hostZone", input.HostZone, required: true);
        var local = ParseLocal(errors, input.LocalStart);
        Offset? offset = null;
        if (!string.IsNullOrWhiteSpace(input.Offset))
        {
            if (HostTime.TryParseOffset(input.Offset.Trim(), out var parsed)) offset = parsed;
            else errors.Add("offset", $"'{input.Offset}' is not a UTC offset; write it like -04:00 or +05:45.");
        }

        var duration = input.DurationMinutes;
        if (duration is null) errors.Add("durationMinutes", "DurationMinutes is required.");
        else if (duration <= 0) errors.Add("durationMinutes", "DurationMinutes must be at least 1: the webinar would end before it starts.");
        else if (duration > MaxDurationMinutes) errors.Add("durationMinutes", $"DurationMinutes must be at most {MaxDurationMinutes} (24 hours).");

        var displayZones = new List<string>();
        var requested = input.DisplayZones ?? [];
        if (requested.Count > Webinar.MaxDisplayZones) errors.Add("displayZones", $"At most {Webinar.MaxDisplayZones} display zones.");
        for (var i = 0; i < requested.Count && i < Webinar.MaxDisplayZones; i++)
        {
            if (Zone(errors, $"displayZones[{i}]", requested[i], required: true) is { } z && !displayZones.Contains(z.Id)) displayZones.Add(z.Id);
        }

        if (zone is not null && displayZones.Count == 0) displayZones.Add(zone.Id);

        if (input.Capacity is < 1 or > MaxCapacity) errors.Add("capacity", $"Capacity must be between 1 and {MaxCapacity}, or null for no limit.");

        long? priceAmount = null;
        string? priceCurrency = null;
        if (input.Price is { } price && Payments.Money.Validate(price.Amount, price.Currency, errors) is { } valid)
        {
            (priceAmount, priceCurrency) = valid;
        }

        var speakers = Speakers(errors, input.Speakers);
        var joinUrl = errors.Bounded("joinUrl", input.JoinUrl, Webinar.MaxJoinUrlLength);
        if (!string.IsNullOrEmpty(joinUrl) && !(Uri.TryCreate(joinUrl, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
        {
            errors.Add("joinUrl", "JoinUrl must be an absolute http(s) address.");
        }

        var opens = ParseInstant(errors, "registrationOpensAt", input.RegistrationOpensAt);
        var closes = ParseInstant(errors, "registrationClosesAt", input.RegistrationClosesAt);
        if (opens is not null && closes is not null && closes <= opens) errors.Add("registrationClosesAt", "Registration must close after it opens.");

        ZonedDateTime? start = null;
        if (zone is not null && local is not null)
        {
            var resolution = HostTime.Resolve(local.Value, zone, offset);
            if (resolution.Start is { } s) start = s;
            else
            {
                // The time exists but not at the offset sent: it is the offset that is wrong.
                var field = offset is not null && zone.MapLocal(local.Value).Count > 0 ? "offset" : "localStart";
                errors.Add(field, resolution.Problem ?? "The local start cannot be placed in the host zone.");
                extensions["alternatives"] = resolution.Alternatives;
                if (ClockChange.For(local.Value, zone) is { } change) extensions["clockChange"] = change;
            }
        }

        if (errors.Any || start is null) return null;
        return new WebinarDraft(topic!, title!, summary, zone!, start.Value, duration!.Value, displayZones, input.Capacity,
            input.Waitlist ?? true, input.RequiresApproval ?? false, priceAmount, priceCurrency, speakers,
            string.IsNullOrEmpty(joinUrl) ? null : joinUrl, opens, closes);
    }

    private static DateTimeZone? Zone(FieldErrors errors, string field, string? id, bool required)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            if (required) errors.Add(field, "A time zone is required, as an IANA id such as America/New_York.");
            return null;
        }

        var zone = HostTime.FindZone(id.Trim());
        if (zone is null) errors.Add(field, $"Unknown time zone '{Truncate(id)}'; use an IANA id such as America/New_York or Europe/Paris.");
        return zone;
    }

    private static LocalDateTime? ParseLocal(FieldErrors errors, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add("localStart", "LocalStart is required, as a local date and time in the host zone, e.g. 2027-03-14T09:00:00.");
            return null;
        }

        text = text.Trim();
        var parsed = LocalWithSeconds.Parse(text);
        if (!parsed.Success) parsed = LocalWithoutSeconds.Parse(text);
        if (parsed.Success && parsed.Value.Year is >= MinYear and <= MaxYear) return parsed.Value;
        if (parsed.Success)
        {
            // Far-off years overflow the end instant and the database's range: refuse them here, by name.
            errors.Add("localStart", $"LocalStart must fall between the years {MinYear} and {MaxYear}.");
            return null;
        }

        errors.Add("localStart", $"'{Truncate(text)}' is not a local date-time; write it like 2027-03-14T09:00:00 (no offset, no Z: the host zone says where).");
        return null;
    }

    internal static Instant? ParseInstant(FieldErrors errors, string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parsed = OffsetDateTimePattern.ExtendedIso.Parse(text.Trim());
        if (parsed.Success) return parsed.Value.ToInstant();
        errors.Add(field, $"'{Truncate(text)}' is not an instant; write it with its offset, like 2027-03-01T09:00:00Z or 2027-03-01T09:00:00-05:00.");
        return null;
    }

    private static List<Speaker> Speakers(FieldErrors errors, List<SpeakerInput>? inputs)
    {
        var speakers = new List<Speaker>();
        if (inputs is null) return speakers;
        if (inputs.Count > Webinar.MaxSpeakers) errors.Add("speakers", $"At most {Webinar.MaxSpeakers} speakers.");
        for (var i = 0; i < inputs.Count && i < Webinar.MaxSpeakers; i++)
        {
            if (inputs[i] is not { } s)
            {
                errors.Add($"speakers[{i}]", "A speaker needs at least a name; remove empty entries.");
                continue;
            }

            var name = errors.Required($"speakers[{i}].name", s.Name, Speaker.MaxNameLength);
            var honorific = errors.Bounded($"speakers[{i}].honorific", s.Honorific, Speaker.MaxHonorificLength) ?? "";
            var affiliation = errors.Bounded($"speakers[{i}].affiliation", s.Affiliation, Speaker.MaxAffiliationLength) ?? "";
            var role = SpeakerRole.Speaker;
            if (!string.IsNullOrWhiteSpace(s.Role) && !(Enum.TryParse(s.Role.Trim(), ignoreCase: true, out role) && Enum.IsDefined(role)))
            {
                errors.Add($"speakers[{i}].role", "Role must be Speaker, Moderator or Discussant.");
            }

            if (name is not null) speakers.Add(new Speaker { Name = name, Honorific = honorific, Affiliation = affiliation, Role = role, Order = i });
        }

        return speakers;
    }

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..60] + "…";
}

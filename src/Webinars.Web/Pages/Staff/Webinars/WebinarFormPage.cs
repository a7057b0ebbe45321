using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Time;
using Webinars.Topics;
using Webinars.Webinars;

namespace Webinars.Pages.Staff.Webinars;

/// <summary>
/// What the new and edit pages share: the form over <see cref="WebinarInput"/>, validated by
/// <see cref="WebinarValidation"/> exactly as the API does, with errors keyed by the same field names.
/// </summary>
public abstract class WebinarFormPage(WebinarsDbContext db) : PageModel
{
    public const int MinSpeakerRows = 4;
    private static readonly LocalDateTimePattern LocalInput = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");

    protected WebinarsDbContext Db { get; } = db;

    [BindProperty] public WebinarInput Input { get; set; } = new();
    /// <summary>Display zones as typed: comma, space or newline separated tzdb ids.</summary>
    [BindProperty] public string? DisplayZonesText { get; set; }

    public List<Topic> Topics { get; private set; } = [];
    public IDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();
    public string? Problem { get; protected set; }

    /// <summary>The start falls in a clock change: explained once, next to the start, with its fixes.</summary>
    public ClockChange? ClockChange { get; private set; }

    /// <summary>Registrants a new time is emailed to (on the edit page of a webinar that has some).</summary>
    public int Registrants { get; protected set; }

    public string ClockChangeSummary => ClockChange is { } c
        ? $"The start falls in a clock change in {c.Zone}: choose a time next to the start field."
        : "";

    /// <summary>Whether a field's errors are the clock change, shown in its own box instead of under the field.</summary>
    public bool ShowsClockChange(string field) => ClockChange is not null && field is "localStart" or "offset";

    public static IReadOnlyCollection<string> ZoneIds { get; } = DateTimeZoneProviders.Tzdb.Ids;

    /// <summary>Speaker rows to render: the ones entered plus blanks, so a few can be added without JavaScript.</summary>
    public List<SpeakerInput> SpeakerRows
    {
        get
        {
            var rows = new List<SpeakerInput>(Input.Speakers ?? []);
            while (rows.Count < MinSpeakerRows || rows.Count < (Input.Speakers?.Count ?? 0) + 1) rows.Add(new SpeakerInput());
            return rows;
        }
    }

    public string[] ErrorsFor(string field) => Errors.TryGetValue(field, out var e) ? e : [];

    /// <summary>Errors for a field and its items ("displayZones" covers "displayZones[2]").</summary>
    public string[] ErrorsUnder(string field) =>
        Errors.Where(e => e.Key == field || e.Key.StartsWith(field + "[", StringComparison.Ordinal)).SelectMany(e => e.Value).ToArray();

    public static string FieldId(string field)
    {
        var root = field.Split('.', '[')[0];
        return field.StartsWith("speakers[", StringComparison.Ordinal) ? "f-" + field.Replace("[", "-", StringComparison.Ordinal).Replace("].", "-", StringComparison.Ordinal)
            : root == "price" ? "f-summary" : "f-" + root;
    }

    protected async Task LoadTopicsAsync(CancellationToken ct) =>
        Topics = await Db.Topics.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct);

    protected void Fill(Webinar w)
    {
        var zone = DateTimeZoneProviders.Tzdb[w.HostZoneId];
        Input = new WebinarInput
        {
            Topic = w.Topic.Slug,
            Version = w.Version,
            Title = w.Title,
            Summary = w.Summary,
            HostZone = w.HostZoneId,
            LocalStart = LocalInput.Format(w.LocalStart),
            // The offset only matters when the local time happens twice; show it only then.
            Offset = zone.MapLocal(w.LocalStart).Count == 2 ? OffsetPattern.CreateWithInvariantCulture("+HH:mm").Format(w.StartOffset) : null,
            DurationMinutes = w.DurationMinutes,
            Capacity = w.Capacity,
            Waitlist = w.Waitlist,
            RequiresApproval = w.RequiresApproval,
            JoinUrl = w.JoinUrl,
            Speakers = w.Speakers.OrderBy(s => s.Order)
                .Select(s => new SpeakerInput { Name = s.Name, Honorific = s.Honorific, Affiliation = s.Affiliation, Role = s.Role.ToString() }).ToList(),
        };
        DisplayZonesText = string.Join(", ", w.DisplayZoneIds);
    }

    /// <summary>Validates the posted form; on problems sets <see cref="Errors"/>, the alternatives and a 400 status.</summary>
    protected async Task<(WebinarDraft Draft, Topic Topic)?> ValidateAsync(CancellationToken ct)
    {
        Input.DisplayZones = SplitZones(DisplayZonesText);
        // Blank speaker rows are just unused rows of the form.
        Input.Speakers = (Input.Speakers ?? []).Where(s => !IsBlank(s)).ToList();
        var errors = new FieldErrors();
        foreach (var (key, entry) in ModelState)
        {
            // Text where a number belongs ("abc" minutes) never reaches WebinarInput; say so under the field's name.
            if (entry.Errors.Count > 0 && key.StartsWith("Input.", StringComparison.Ordinal))
            {
                var field = char.ToLowerInvariant(key[6]) + key[7..];
                errors.Add(field, $"'{entry.AttemptedValue}' is not a whole number.");
            }
        }

        var extensions = new Dictionary<string, object?>();
        var draft = WebinarValidation.Validate(Input, errors, extensions);
        var topicSlug = Input.Topic?.Trim();
        var topic = string.IsNullOrEmpty(topicSlug) ? null : await Db.Topics.FirstOrDefaultAsync(t => t.Slug == topicSlug, ct);
        if (topic is null && !errors.Has("topic")) errors.Add("topic", $"No topic with slug '{topicSlug}'.");
        if (!errors.Any && draft is not null) return (draft, topic!);

        Errors = errors.ToDictionary();
        ClockChange = extensions.TryGetValue("clockChange", out var c) ? c as ClockChange : null;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadTopicsAsync(ct);
        return null;
    }

    public static List<string> SplitZones(string? text) =>
        (text ?? "").Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static bool IsBlank(SpeakerInput s) =>
        string.IsNullOrWhiteSpace(s.Name) && string.IsNullOrWhiteSpace(s.Honorific) && string.IsNullOrWhiteSpace(s.Affiliation);

    public static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
}

using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NodaTime;
using Webinars.Webinars;

namespace Webinars.Registrations;

/// <summary>
/// One reminder (say "24 h before") of one webinar: due at <see cref="DueAt"/> = start − offset, an instant, so DST
/// cannot move it. When due, one instance claims it and expands it into one outbox message per confirmed attendee; a
/// reschedule re-arms it for the new start (see <c>ScheduleNotices</c>).
/// </summary>
public sealed class ReminderSchedule
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WebinarId { get; set; }
    public int OffsetMinutes { get; set; }
    /// <summary>The webinar's calendar sequence this schedule was computed for.</summary>
    public int Sequence { get; set; }
    public Instant DueAt { get; set; }
    public Instant? ExpandedAt { get; set; }
    public Instant? ClaimedUntil { get; set; }
    public string? ClaimedBy { get; set; }
}

internal sealed class ReminderScheduleConfiguration : IEntityTypeConfiguration<ReminderSchedule>
{
    public void Configure(EntityTypeBuilder<ReminderSchedule> b)
    {
        b.ToTable("ReminderSchedules");
        b.HasIndex(s => new { s.WebinarId, s.OffsetMinutes }).IsUnique();
        b.HasIndex(s => new { s.ExpandedAt, s.DueAt });
        b.Property(s => s.ClaimedBy).HasMaxLength(100);
        // An expansion saves only if no reschedule re-armed the row meanwhile.
        b.Property(s => s.Sequence).IsConcurrencyToken();
        b.HasOne<Webinar>().WithMany().HasForeignKey(s => s.WebinarId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Section <c>Reminders</c>. <c>Offsets</c>: TimeSpan texts ("1.00:00:00", "01:00:00") or whole minutes ("1440");
/// default 24 h and 1 h. A reminder found due later than <c>MaxLatenessMinutes</c> (the app was down) is skipped;
/// each is written <c>WriteAheadMinutes</c> (10) ahead.
/// </summary>
public sealed class RemindersOptions
{
    public const string Section = "Reminders";

    public List<string> Offsets { get; set; } = [];

    public int MaxLatenessMinutes { get; set; } = 30;

    /// <summary>
    /// Reminders are written into the outbox this long before they are due (not sendable until then), so that all of
    /// them are ready to go out at the due second. Attendees confirmed within this window before it miss that reminder.
    /// </summary>
    public int WriteAheadMinutes { get; set; } = 10;

    public IReadOnlyList<Duration> OffsetDurations =>
        Offsets.Count == 0 ? [Duration.FromHours(24), Duration.FromHours(1)] : [.. Offsets.Select(o => Parse(o) ?? throw new FormatException($"Reminders:Offsets: '{o}'"))];

    public bool IsValid => MaxLatenessMinutes >= 0 && WriteAheadMinutes is >= 0 and <= 24 * 60 && Offsets.All(o => Parse(o) is { } d && d > Duration.Zero && d < Duration.FromDays(60));

    public static Duration? Parse(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) ? Duration.FromMinutes(minutes)
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? Duration.FromTimeSpan(span)
        : null;

    /// <summary>"24h", "1h", "90m": the offset as it appears in dedupe keys and subjects.</summary>
    public static string Label(int offsetMinutes) => offsetMinutes % 60 == 0 ? $"{offsetMinutes / 60}h" : $"{offsetMinutes}m";
}

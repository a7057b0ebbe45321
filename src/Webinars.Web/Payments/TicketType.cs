using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.Payments;

/// <summary>
/// One kind of ticket of a paid webinar (standard, student, supporter): its own price, in the webinar's currency, and
/// its own seats. <see cref="SeatsTaken"/> moves only in the seat guard, together with the webinar's counter
/// (docs/decisions/0016-ticket-types.md).
/// </summary>
public sealed class TicketType
{
    public const int MaxKeyLength = 40;
    public const int MaxNameLength = 100;
    public const int MaxPerWebinar = 20;

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WebinarId { get; set; }
    /// <summary>The name in the API and the form (<c>ticketType</c>): lower-case letters, digits and dashes; unique per webinar.</summary>
    public required string Key { get; set; }
    public required string Name { get; set; }
    /// <summary>Minor units of the webinar's currency.</summary>
    public long PriceAmount { get; set; }
    public int Seats { get; set; }
    /// <summary>Confirmed and held registrations of this type; changed only by the conditional updates in the seat guard.</summary>
    public int SeatsTaken { get; set; }
    /// <summary>Where it is listed (the order staff added them in).</summary>
    public int Order { get; set; }

    public int SeatsLeft => Math.Max(0, Seats - SeatsTaken);
}

/// <summary>A ticket type as the API and pages show it; <see cref="Text"/> is culture-neutral ("25.00 USD"), pages format for the reader.</summary>
public sealed record TicketTypeView(string Key, string Name, long Amount, string Currency, string Text, int Seats, int SeatsLeft)
{
    public static TicketTypeView From(TicketType t, string currency) =>
        new(t.Key, t.Name, t.PriceAmount, currency, Money.Text(t.PriceAmount, currency), t.Seats, t.SeatsLeft);

    /// <summary>"US$25.00 — 3 seats left" in the reader's culture, for the form's choices.</summary>
    public string Label(CultureInfo culture) =>
        $"{Name} — {Money.Format(Amount, Currency, culture)} · " + SeatsLeft switch { 0 => "sold out", 1 => "1 seat left", var n => $"{n} seats left" };
}

/// <summary>The body of PUT /api/webinars/{slug}/ticket-types/{key}: amount in minor units of the webinar's currency.</summary>
public sealed record TicketTypeInput(string? Name, long? Price, int? Seats);

internal sealed class TicketTypeConfiguration : IEntityTypeConfiguration<TicketType>
{
    public void Configure(EntityTypeBuilder<TicketType> b)
    {
        b.HasIndex(t => new { t.WebinarId, t.Key }).IsUnique();
        b.Property(t => t.Key).HasMaxLength(TicketType.MaxKeyLength);
        b.Property(t => t.Name).HasMaxLength(TicketType.MaxNameLength);
        b.HasOne<Webinar>().WithMany(w => w.TicketTypes).HasForeignKey(t => t.WebinarId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(t => t.SeatsLeft);
        // A type with registrations is never deleted (TicketTypes refuses); NO ACTION lets a webinar's cascade remove both.
        b.HasMany<Registration>().WithOne().HasForeignKey(r => r.TicketTypeId).OnDelete(DeleteBehavior.NoAction);
    }
}

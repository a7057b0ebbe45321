using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Caching;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Registrations;
using Webinars.Webinars;

namespace Webinars.Payments;

/// <summary>How removing a ticket type went.</summary>
public enum TicketTypeRemoval
{
    Removed,
    NotFound,
    /// <summary>Registrations chose it (their seats and payments name it): it stays.</summary>
    InUse,
}

/// <summary>
/// A paid webinar's ticket types, for the staff API and page (define, change, remove) and for registering (the choice).
/// The seat counts of all types fit within the webinar's capacity when staff save them; the webinar's own counter stays
/// the overall guard (decision 0016), so neither a racing edit nor a lowered capacity can sell more than it allows.
/// </summary>
public sealed partial class TicketTypes(WebinarsDbContext db, IClock clock, RegistrationService registrations)
{
    public static async Task<List<TicketTypeView>> ListAsync(WebinarsDbContext db, Webinar webinar, CancellationToken ct) =>
        webinar.PriceCurrency is not { } currency ? []
            : (await db.Set<TicketType>().AsNoTracking().Where(t => t.WebinarId == webinar.Id).OrderBy(t => t.Order).ThenBy(t => t.Key).ToListAsync(ct))
                .Select(t => TicketTypeView.From(t, currency)).ToList();

    /// <summary>
    /// The type a registration asks for by key: errors under <c>ticketType</c> for an unknown key, a missing choice on a
    /// webinar that has types, or a choice on one that has none. Null without error: the webinar has no types.
    /// </summary>
    /// <param name="loaded">The webinar's types when the caller loaded them with it (the pages do), so they are not read again.</param>
    public static async Task<TicketType?> ChooseAsync(
        WebinarsDbContext db, Webinar webinar, string? key, FieldErrors errors, CancellationToken ct, IEnumerable<TicketType>? loaded = null)
    {
        key = key?.Trim().ToLowerInvariant();
        if (webinar.IsFree) return NoneOnFree(key, errors);

        var types = loaded is not null ? [.. loaded.OrderBy(t => t.Order)]
            : await db.Set<TicketType>().AsNoTracking().Where(t => t.WebinarId == webinar.Id).OrderBy(t => t.Order).ToListAsync(ct);
        if (types.Count == 0)
        {
            if (!string.IsNullOrEmpty(key)) errors.Add("ticketType", "This webinar has one price and no ticket types; leave ticketType out.");
            return null;
        }

        var keys = string.Join(", ", types.Select(t => t.Key));
        if (string.IsNullOrEmpty(key))
        {
            errors.Add("ticketType", $"Ticket type is required: choose one of {keys}.");
            return null;
        }

        var chosen = types.FirstOrDefault(t => t.Key == key);
        if (chosen is null) errors.Add("ticketType", $"There is no ticket type '{(key.Length > 40 ? key[..40] : key)}' on this webinar; choose one of {keys}.");
        return chosen;
    }

    /// <summary>A free webinar has no types: a choice is an error under <c>ticketType</c>. Always null.</summary>
    public static TicketType? NoneOnFree(string? key, FieldErrors errors)
    {
        if (!string.IsNullOrWhiteSpace(key)) errors.Add("ticketType", "This webinar is free and has no ticket types; leave ticketType out.");
        return null;
    }

    /// <summary>
    /// Adds or changes the type <paramref name="key"/>. Errors name the field (<c>key</c>, <c>name</c>, <c>price</c>,
    /// <c>seats</c>) and change nothing; fewer seats than are taken is refused by the same conditional UPDATE that saves it.
    /// </summary>
    public async Task<TicketTypeView?> SetAsync(Webinar webinar, string key, TicketTypeInput input, string actor, FieldErrors errors, CancellationToken ct)
    {
        key = key.Trim().ToLowerInvariant();
        if (webinar.PriceCurrency is not { } currency)
        {
            errors.Add("price", "A free webinar has no ticket types: give the webinar a price first (its currency is the types' currency).");
            return null;
        }

        if (!KeyPattern().IsMatch(key)) errors.Add("key", $"The key must be 1 to {TicketType.MaxKeyLength} lower-case letters, digits or dashes, such as 'student'.");
        var name = errors.Required("name", input.Name, TicketType.MaxNameLength);
        Money.ValidateAmount(input.Price, currency, "price", errors);
        if (input.Seats is not (>= 1 and <= 1_000_000)) errors.Add("seats", "Seats is required: how many tickets of this type can be sold, at least 1.");
        if (errors.Any) return null;

        var types = await db.Set<TicketType>().Where(t => t.WebinarId == webinar.Id).ToListAsync(ct);
        var existing = types.FirstOrDefault(t => t.Key == key);
        var others = types.Where(t => t != existing).Sum(t => t.Seats);
        var seats = input.Seats!.Value;
        if (webinar.Capacity is int capacity && others + seats > capacity)
        {
            errors.Add("seats", $"The ticket types' seats must fit in the webinar's capacity of {capacity}: the other types have {others}, so this one can have at most {Math.Max(0, capacity - others)}.");
        }

        if (existing is null && types.Count >= TicketType.MaxPerWebinar) errors.Add("key", $"A webinar has at most {TicketType.MaxPerWebinar} ticket types.");
        if (errors.Any) return null;

        var now = clock.GetCurrentInstant();
        Audit(actor, "ticket-type.set", webinar, $"{key}: {name}, {Money.Text(input.Price!.Value, currency)}, {seats} seats", now);
        if (existing is null)
        {
            db.Set<TicketType>().Add(new TicketType
            {
                WebinarId = webinar.Id,
                Key = key,
                Name = name!,
                PriceAmount = input.Price!.Value,
                Seats = seats,
                Order = types.Count == 0 ? 0 : types.Max(t => t.Order) + 1,
            });
            await db.SaveChangesAsync(ct);
        }
        else
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // Conditional: a registration taking a seat meanwhile is counted, so the type never ends with fewer seats than taken.
            var rows = await db.Set<TicketType>().Where(t => t.Id == existing.Id && t.SeatsTaken <= seats)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Name, name!).SetProperty(t => t.PriceAmount, input.Price!.Value).SetProperty(t => t.Seats, seats), ct);
            if (rows == 0)
            {
                var taken = await db.Set<TicketType>().Where(t => t.Id == existing.Id).Select(t => t.SeatsTaken).FirstAsync(ct);
                errors.Add("seats", $"{taken} tickets of '{key}' are taken (confirmed or held while paying), so it cannot have fewer than {taken} seats; nothing was changed.");
                return null;
            }

            await db.SaveChangesAsync(ct); // the audit entry
            await transaction.CommitAsync(ct);
            await ReadCacheEviction.EvictFor(db, ReadTags.ForWebinar(webinar.Id));
        }

        // More seats of a type move its waitlist up at once, as a higher capacity does.
        if (existing is null || seats > existing.Seats) await registrations.FillFreeSeatsAsync(webinar, ct);
        var saved = await db.Set<TicketType>().AsNoTracking().FirstAsync(t => t.WebinarId == webinar.Id && t.Key == key, ct);
        return TicketTypeView.From(saved, currency);
    }

    /// <summary>Removes a type nobody chose; one that registrations name stays (their seats and payments refer to it).</summary>
    public async Task<(TicketTypeRemoval Outcome, string Message)> RemoveAsync(Webinar webinar, string key, string actor, CancellationToken ct)
    {
        key = key.Trim().ToLowerInvariant();
        var type = await db.Set<TicketType>().FirstOrDefaultAsync(t => t.WebinarId == webinar.Id && t.Key == key, ct);
        if (type is null) return (TicketTypeRemoval.NotFound, "There is no such ticket type.");
        var chosen = await db.Registrations.CountAsync(r => r.TicketTypeId == type.Id, ct);
        if (chosen > 0 || type.SeatsTaken > 0)
        {
            return (TicketTypeRemoval.InUse, $"{chosen} registration(s) chose '{key}', so it cannot be removed; set its seats to what is taken to stop selling it.");
        }

        db.Set<TicketType>().Remove(type);
        Audit(actor, "ticket-type.remove", webinar, key, clock.GetCurrentInstant());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Someone chose it between the count and the delete: the registration's foreign key keeps it.
            db.ChangeTracker.Clear();
            return (TicketTypeRemoval.InUse, $"A registration chose '{key}' just now, so it cannot be removed.");
        }

        return (TicketTypeRemoval.Removed, $"Ticket type '{key}' removed.");
    }

    private void Audit(string actor, string action, Webinar webinar, string details, Instant now) =>
        db.AuditEntries.Add(new AuditEntry { At = now, Actor = actor, Action = action, Subject = webinar.Id.ToString(), Details = details });

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex KeyPattern();
}

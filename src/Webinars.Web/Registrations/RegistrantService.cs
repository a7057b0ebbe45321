using Microsoft.EntityFrameworkCore;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Payments;
using Webinars.Webinars;

namespace Webinars.Registrations;

/// <summary>How a staff cancel went: <see cref="Registrant"/> is null when no registration of the webinar has the id.</summary>
public sealed record StaffCancel(Registration? Registrant, bool Done, Registration? Promoted);

/// <summary>
/// What the registrants API and the staff registrants page share: the list and its counts, and every staff action on a
/// registration, each on a registration of the webinar named in the address only (another webinar's is not found).
/// </summary>
public sealed class RegistrantService(WebinarsDbContext db, RegistrationService registrations)
{
    public const int MaxBulk = 500;
    public const int MaxSearchLength = 200;

    /// <summary>A status filter from a query string: null for none; an error for an unknown name (numbers too).</summary>
    public static RegistrationStatus? ParseStatus(string? status, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(status)) return null;
        if (Enum.TryParse<RegistrationStatus>(status, ignoreCase: true, out var parsed) && !int.TryParse(status, out _)) return parsed;
        errors.Add("status", $"Status must be one of {string.Join(", ", Enum.GetNames<RegistrationStatus>())}.");
        return null;
    }

    /// <summary>Registrants of a webinar, oldest first, filtered by status and a search in name, email and organisation.</summary>
    public async Task<List<RegistrantView>> ListAsync(Guid webinarId, RegistrationStatus? status, string? search, CancellationToken ct)
    {
        var query = db.Registrations.AsNoTracking().Include(r => r.Answers).Where(r => r.WebinarId == webinarId);
        if (status is not null) query = query.Where(r => r.Status == status);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var s = search.Trim().ToLowerInvariant();
#pragma warning disable CA1304, CA1311, CA1862 // translated to SQL lower(), on both providers
            query = query.Where(r => r.Name.ToLower().Contains(s) || r.Email.Contains(s) || r.Organization.ToLower().Contains(s));
#pragma warning restore CA1304, CA1311, CA1862
        }

        var rows = await query.OrderBy(r => r.CreatedAt).ThenBy(r => r.Email).AsSplitQuery().ToListAsync(ct);
        var attended = await db.Attendances.AsNoTracking().Where(a => a.WebinarId == webinarId).ToDictionaryAsync(a => a.RegistrationId, a => a.Minutes, ct);
        var types = await db.Set<TicketType>().AsNoTracking().Where(t => t.WebinarId == webinarId).ToDictionaryAsync(t => t.Id, ct);
        var typeOf = rows.Where(r => r.TicketTypeId is { } t && types.ContainsKey(t)).ToDictionary(r => r.Id, r => types[r.TicketTypeId!.Value]);
        var payments = await db.Payments().AsNoTracking().Where(p => p.WebinarId == webinarId)
            .ToDictionaryAsync(p => p.RegistrationId, p => new RegistrantPayment(typeOf.GetValueOrDefault(p.RegistrationId)?.Name ?? "Standard", p.Currency, p.Amount, p.AmountPaid, p.AmountRefunded, p.State.ToString()), ct);
        if (typeOf.Count > 0)
        {
            // Waitlisted people have chosen a type but opened no payment yet: the list still says which.
            var currency = await db.Webinars.Where(w => w.Id == webinarId).Select(w => w.PriceCurrency).FirstAsync(ct) ?? "";
            foreach (var (id, type) in typeOf.Where(t => !payments.ContainsKey(t.Key))) payments[id] = new RegistrantPayment(type.Name, currency, type.PriceAmount, 0, 0, "None");
        }

        return rows.Select(r => new RegistrantView(r.Id, r.Name, r.Email, r.Organization, r.TimeZoneId, r.Status, r.CreatedAt,
            r.Answers.OrderBy(a => a.Order).Select(a => new AnswerView(a.QuestionId, a.Label, a.Value)).ToList(),
            attended.TryGetValue(r.Id, out var minutes) ? minutes : null, payments.GetValueOrDefault(r.Id))).ToList();
    }

    public async Task<RegistrantSummary> SummarizeAsync(Webinar webinar, CancellationToken ct)
    {
        var counts = await db.Registrations.Where(r => r.WebinarId == webinar.Id).GroupBy(r => r.Status)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var all = Enum.GetValues<RegistrationStatus>().ToDictionary(s => s, s => counts.FirstOrDefault(c => c.Key == s)?.Count ?? 0);
        var seats = await db.Webinars.AsNoTracking().Where(w => w.Id == webinar.Id).Select(w => w.SeatsTaken).FirstAsync(ct);
        return new RegistrantSummary(all.Values.Sum(), all, webinar.Capacity, seats);
    }

    /// <summary>Confirmed and waitlisted counts per webinar, for the staff list.</summary>
    public async Task<Dictionary<Guid, (int Confirmed, int Waitlisted)>> CountsAsync(IReadOnlyCollection<Guid> webinarIds, CancellationToken ct)
    {
        var rows = await db.Registrations.Where(r => webinarIds.Contains(r.WebinarId)
                && (r.Status == RegistrationStatus.Confirmed || r.Status == RegistrationStatus.Waitlisted))
            .GroupBy(r => new { r.WebinarId, r.Status }).Select(g => new { g.Key.WebinarId, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        return rows.GroupBy(r => r.WebinarId).ToDictionary(g => g.Key, g => (
            g.Where(r => r.Status == RegistrationStatus.Confirmed).Sum(r => r.Count),
            g.Where(r => r.Status == RegistrationStatus.Waitlisted).Sum(r => r.Count)));
    }

    /// <summary>The registration with this id if it belongs to <paramref name="webinar"/>; another webinar's is not found.</summary>
    public Task<Registration?> FindAsync(Webinar webinar, Guid id, CancellationToken ct) =>
        db.Registrations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.WebinarId == webinar.Id, ct);

    public async Task<StaffCancel> CancelAsync(Webinar webinar, Guid id, string actor, CancellationToken ct)
    {
        if (await FindAsync(webinar, id, ct) is not { } registration) return new StaffCancel(null, false, null);
        var outcome = await registrations.CancelAsync(registration.Id, actor, ct);
        return new StaffCancel(registration, outcome.Done, outcome.Promoted);
    }

    /// <summary>Emails a new link; null when no registration of the webinar has the id.</summary>
    public async Task<Registration?> ResendLinkAsync(Webinar webinar, Guid id, string actor, CancellationToken ct)
    {
        if (await FindAsync(webinar, id, ct) is not { } registration) return null;
        await registrations.ResendLinkAsync(registration, actor, ct);
        return registration;
    }

    public Task<List<BulkResult>> ApproveAsync(Webinar webinar, IEnumerable<Guid> ids, string actor, CancellationToken ct) =>
        BulkAsync(ids, "Skipped: not pending, or the webinar is full", async id => (await registrations.ApproveAsync(webinar, id, actor, ct))?.ToString());

    public Task<List<BulkResult>> DeclineAsync(Webinar webinar, IEnumerable<Guid> ids, string actor, CancellationToken ct) =>
        BulkAsync(ids, "Skipped: not pending or waitlisted", async id => await registrations.DeclineAsync(webinar, id, actor, ct) ? nameof(RegistrationStatus.Declined) : null);

    /// <param name="act">The new status's name, or null when it did not apply to that registration.</param>
    private static async Task<List<BulkResult>> BulkAsync(IEnumerable<Guid> ids, string skipped, Func<Guid, Task<string?>> act)
    {
        var results = new List<BulkResult>();
        foreach (var id in ids.Distinct().Take(MaxBulk))
        {
            var outcome = await act(id);
            results.Add(new BulkResult(id, outcome ?? skipped) { Done = outcome is not null });
        }

        return results;
    }
}

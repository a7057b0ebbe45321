using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Accounts;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Payments;
using Webinars.Webinars;

namespace Webinars.Registrations;

/// <param name="AttendedMinutes">Minutes present in the live webinar (LiveQa attendance); null when never seen.</param>
public sealed record RegistrantView(
    Guid Id, string Name, string Email, string Organization, string TimeZone, RegistrationStatus Status, Instant CreatedAt, IReadOnlyList<AnswerView> Answers,
    int? AttendedMinutes = null, RegistrantPayment? Payment = null);
/// <summary>A paid registration's money: amounts in minor units of <see cref="Currency"/>; <see cref="State"/> as in Payments.</summary>
public sealed record RegistrantPayment(string TicketType, string Currency, long Price, long Paid, long Refunded, string State);
public sealed record RegistrantSummary(int Total, Dictionary<RegistrationStatus, int> Counts, int? Capacity, int SeatsTaken);
public sealed record IdsRequest(List<Guid>? Ids);
public sealed record BulkResult(Guid Id, string Outcome);

/// <summary>Staff: who is coming, the export, and the actions on registrations (each audited and emailed).</summary>
public static class RegistrantsApi
{
    public const int MaxBulk = 500;

    internal static IEndpointRouteBuilder MapRegistrants(this IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup("/api/webinars/{slug}").WithTags("Registrants").RequireAuthorization(Policies.Staff);
        staff.MapGet("/registrations", ListAsync).WithName("ListRegistrants")
            .WithSummary("Registrants (?status=&search=); Accept: text/csv (or ?format=csv) exports. X-Total-Count: how many matched.");
        staff.MapGet("/registrations/summary", SummaryAsync).WithName("RegistrantSummary").WithSummary("Counts per status and seats taken.");
        staff.MapPost("/registrations/{id:guid}/cancel", CancelAsync).WithName("CancelRegistrant").WithSummary("Cancels a registration (promotes the waitlist).");
        staff.MapPost("/registrations/{id:guid}/resend-link", ResendAsync).WithName("ResendRegistrantLink").WithSummary("Emails a new access link.");
        staff.MapPost("/registrations/approve", ApproveAsync).WithName("ApproveRegistrants").WithSummary("Approves pending registrations (seat or waitlist).");
        staff.MapPost("/registrations/decline", DeclineAsync).WithName("DeclineRegistrants").WithSummary("Declines pending or waitlisted registrations.");
        staff.MapPut("/questions", QuestionsApi.PutAsync).WithName("SetRegistrationQuestions").WithSummary("Replaces the registration questions.");
        return app;
    }

    /// <summary>Registrants of a webinar, oldest first, filtered by status and a search in name, email and organisation.</summary>
    public static async Task<List<RegistrantView>> QueryAsync(WebinarsDbContext db, Guid webinarId, RegistrationStatus? status, string? search, CancellationToken ct)
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
        var payments = await db.Payments().AsNoTracking().Where(p => p.WebinarId == webinarId)
            .ToDictionaryAsync(p => p.RegistrationId, p => new RegistrantPayment("Standard", p.Currency, p.Amount, p.AmountPaid, p.AmountRefunded, p.State.ToString()), ct);
        return rows.Select(r => new RegistrantView(r.Id, r.Name, r.Email, r.Organization, r.TimeZoneId, r.Status, r.CreatedAt,
            r.Answers.OrderBy(a => a.Order).Select(a => new AnswerView(a.QuestionId, a.Label, a.Value)).ToList(),
            attended.TryGetValue(r.Id, out var minutes) ? minutes : null, payments.GetValueOrDefault(r.Id))).ToList();
    }

    public static async Task<RegistrantSummary> SummarizeAsync(WebinarsDbContext db, Webinar webinar, CancellationToken ct)
    {
        var counts = await db.Registrations.Where(r => r.WebinarId == webinar.Id).GroupBy(r => r.Status)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var all = Enum.GetValues<RegistrationStatus>().ToDictionary(s => s, s => counts.FirstOrDefault(c => c.Key == s)?.Count ?? 0);
        var seats = await db.Webinars.AsNoTracking().Where(w => w.Id == webinar.Id).Select(w => w.SeatsTaken).FirstAsync(ct);
        return new RegistrantSummary(all.Values.Sum(), all, webinar.Capacity, seats);
    }

    private static async Task<IResult> ListAsync(
        string slug, string? status, string? search, string? format, HttpContext context, WebinarsDbContext db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        RegistrationStatus? wanted = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (Enum.TryParse<RegistrationStatus>(status, ignoreCase: true, out var parsed) && !int.TryParse(status, out _)) wanted = parsed;
            else errors.Add("status", $"Status must be one of {string.Join(", ", Enum.GetNames<RegistrationStatus>())}.");
        }

        if (format is not (null or "" or "csv" or "json")) errors.Add("format", "Format must be 'csv' or 'json'.");
        if (search?.Length > 200) errors.Add("search", "Search is too long: at most 200 characters.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, context.User, ct);
        if (webinar is null) return TypedResults.NotFound();
        var registrants = await QueryAsync(db, webinar.Id, wanted, search, ct);
        context.Response.Headers["X-Total-Count"] = registrants.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var wantsCsv = format == "csv" || (format is null or "" && context.Request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase));
        if (!wantsCsv) return TypedResults.Ok(registrants);
        var questions = (await RegistrationRules.QuestionsAsync(db, webinar.Id, ct)).Select(QuestionView.From).ToList();
        return TypedResults.File(RegistrantsCsv.Write(registrants, questions, paid: !webinar.IsFree), "text/csv; charset=utf-8", $"{webinar.Slug}-registrants.csv");
    }

    private static async Task<Results<Ok<RegistrantSummary>, NotFound>> SummaryAsync(string slug, WebinarsDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, user, ct);
        return webinar is null ? TypedResults.NotFound() : TypedResults.Ok(await SummarizeAsync(db, webinar, ct));
    }

    private static async Task<Results<NoContent, NotFound>> CancelAsync(
        string slug, Guid id, WebinarsDbContext db, RegistrationService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var registration = await FindAsync(db, slug, id, user, ct);
        if (registration is null) return TypedResults.NotFound();
        await service.CancelAsync(registration.Id, WebinarsApi.Actor(user), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Accepted, NotFound>> ResendAsync(
        string slug, Guid id, WebinarsDbContext db, RegistrationService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var registration = await FindAsync(db, slug, id, user, ct);
        if (registration is null) return TypedResults.NotFound();
        await service.ResendLinkAsync(registration, WebinarsApi.Actor(user), ct);
        return TypedResults.Accepted((string?)null);
    }

    private static Task<Results<Ok<List<BulkResult>>, ValidationProblem, NotFound>> ApproveAsync(
        string slug, IdsRequest request, WebinarsDbContext db, RegistrationService service, ClaimsPrincipal user, CancellationToken ct) =>
        BulkAsync(slug, request, db, user, async (w, id) =>
            await service.ApproveAsync(w, id, WebinarsApi.Actor(user), ct) is { } s ? s.ToString() : "Skipped: not pending, or the webinar is full", ct);

    private static Task<Results<Ok<List<BulkResult>>, ValidationProblem, NotFound>> DeclineAsync(
        string slug, IdsRequest request, WebinarsDbContext db, RegistrationService service, ClaimsPrincipal user, CancellationToken ct) =>
        BulkAsync(slug, request, db, user, async (w, id) =>
            await service.DeclineAsync(w, id, WebinarsApi.Actor(user), ct) ? nameof(RegistrationStatus.Declined) : "Skipped: not pending or waitlisted", ct);

    private static async Task<Results<Ok<List<BulkResult>>, ValidationProblem, NotFound>> BulkAsync(
        string slug, IdsRequest request, WebinarsDbContext db, ClaimsPrincipal user, Func<Webinar, Guid, Task<string>> act, CancellationToken ct)
    {
        if (request.Ids is not { Count: > 0 and <= MaxBulk } ids)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ids"] = [$"Ids needs 1 to {MaxBulk} registration ids."] });
        }

        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, user, ct);
        if (webinar is null) return TypedResults.NotFound();
        var results = new List<BulkResult>();
        foreach (var id in ids.Distinct()) results.Add(new BulkResult(id, await act(webinar, id)));
        return TypedResults.Ok(results);
    }

    private static async Task<Registration?> FindAsync(WebinarsDbContext db, string slug, Guid id, ClaimsPrincipal user, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, user, ct);
        return webinar is null ? null : await db.Registrations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.WebinarId == webinar.Id, ct);
    }
}

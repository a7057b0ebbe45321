using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using Webinars.Accounts;
using Webinars.Data;
using Webinars.Infrastructure;
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
public sealed record BulkResult(Guid Id, string Outcome)
{
    [System.Text.Json.Serialization.JsonIgnore] public bool Done { get; init; }
}

/// <summary>Staff: who is coming, the export, and the actions on registrations (each audited and emailed).</summary>
public static class RegistrantsApi
{
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

    private static async Task<IResult> ListAsync(
        string slug, string? status, string? search, string? format, HttpContext context, WebinarsDbContext db, RegistrantService registrants, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var wanted = RegistrantService.ParseStatus(status, errors);

        if (format is not (null or "" or "csv" or "json")) errors.Add("format", "Format must be 'csv' or 'json'.");
        if (search?.Length > RegistrantService.MaxSearchLength) errors.Add("search", $"Search is too long: at most {RegistrantService.MaxSearchLength} characters.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, context.User, ct);
        if (webinar is null) return TypedResults.NotFound();
        var list = await registrants.ListAsync(webinar.Id, wanted, search, ct);
        context.Response.Headers["X-Total-Count"] = list.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var wantsCsv = format == "csv" || (format is null or "" && context.Request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase));
        if (!wantsCsv) return TypedResults.Ok(list);
        var questions = (await RegistrationRules.QuestionsAsync(db, webinar.Id, ct)).Select(QuestionView.From).ToList();
        return TypedResults.File(RegistrantsCsv.Write(list, questions, paid: !webinar.IsFree), "text/csv; charset=utf-8", $"{webinar.Slug}-registrants.csv");
    }

    private static async Task<Results<Ok<RegistrantSummary>, NotFound>> SummaryAsync(
        string slug, WebinarsDbContext db, RegistrantService registrants, ClaimsPrincipal user, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, user, ct);
        return webinar is null ? TypedResults.NotFound() : TypedResults.Ok(await registrants.SummarizeAsync(webinar, ct));
    }

    private static async Task<Results<NoContent, NotFound>> CancelAsync(
        string slug, Guid id, WebinarsDbContext db, RegistrantService registrants, ClaimsPrincipal user, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, user, ct);
        if (webinar is null || (await registrants.CancelAsync(webinar, id, user.Actor(), ct)).Registrant is null) return TypedResults.NotFound();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Accepted, NotFound>> ResendAsync(
        string slug, Guid id, WebinarsDbContext db, RegistrantService registrants, ClaimsPrincipal user, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, user, ct);
        if (webinar is null || await registrants.ResendLinkAsync(webinar, id, user.Actor(), ct) is null) return TypedResults.NotFound();
        return TypedResults.Accepted((string?)null);
    }

    private static Task<Results<Ok<List<BulkResult>>, ValidationProblem, NotFound>> ApproveAsync(
        string slug, IdsRequest request, WebinarsDbContext db, RegistrantService registrants, ClaimsPrincipal user, CancellationToken ct) =>
        BulkAsync(slug, request, db, user, (w, ids) => registrants.ApproveAsync(w, ids, user.Actor(), ct), ct);

    private static Task<Results<Ok<List<BulkResult>>, ValidationProblem, NotFound>> DeclineAsync(
        string slug, IdsRequest request, WebinarsDbContext db, RegistrantService registrants, ClaimsPrincipal user, CancellationToken ct) =>
        BulkAsync(slug, request, db, user, (w, ids) => registrants.DeclineAsync(w, ids, user.Actor(), ct), ct);

    private static async Task<Results<Ok<List<BulkResult>>, ValidationProblem, NotFound>> BulkAsync(
        string slug, IdsRequest request, WebinarsDbContext db, ClaimsPrincipal user, Func<Webinar, List<Guid>, Task<List<BulkResult>>> act, CancellationToken ct)
    {
        if (request.Ids is not { Count: > 0 and <= RegistrantService.MaxBulk } ids)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ids"] = [$"Ids needs 1 to {RegistrantService.MaxBulk} registration ids."] });
        }

        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, user, ct);
        if (webinar is null) return TypedResults.NotFound();
        return TypedResults.Ok(await act(webinar, ids));
    }
}

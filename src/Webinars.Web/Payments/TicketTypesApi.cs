using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Webinars.Accounts;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Webinars;

namespace Webinars.Payments;

/// <summary>Staff: a paid webinar's ticket types. Readers see them (price, seats left) in GET /api/webinars/{slug}.</summary>
public static class TicketTypesApi
{
    internal static IEndpointRouteBuilder MapTicketTypes(this IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup("/api/webinars/{slug}/ticket-types").WithTags("Payments").RequireAuthorization(Policies.Staff);
        staff.MapGet("/", ListAsync).WithName("ListTicketTypes").WithSummary("The webinar's ticket types with price, seats and seats left.");
        staff.MapPut("/{key}", SetAsync).WithName("SetTicketType")
            .WithSummary("Adds or changes a ticket type { name, price (minor units of the webinar's currency), seats }; seats of all types fit in the capacity.");
        staff.MapDelete("/{key}", RemoveAsync).WithName("RemoveTicketType").WithSummary("Removes a ticket type nobody chose (409 otherwise).");
        return app;
    }

    private static async Task<Results<Ok<List<TicketTypeView>>, NotFound>> ListAsync(string slug, WebinarsDbContext db, ClaimsPrincipal user, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, user, ct);
        if (webinar is null) return TypedResults.NotFound();
        return TypedResults.Ok(await TicketTypes.ListAsync(db, webinar, ct));
    }

    private static async Task<Results<Ok<TicketTypeView>, NotFound, ValidationProblem>> SetAsync(
        string slug, string key, TicketTypeInput? input, WebinarsDbContext db, TicketTypes types, ClaimsPrincipal user, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, user, ct);
        if (webinar is null) return TypedResults.NotFound();
        var errors = new FieldErrors();
        var saved = await types.SetAsync(webinar, key, input ?? new TicketTypeInput(null, null, null), user.Actor(), errors, ct);
        return saved is null ? TypedResults.ValidationProblem(errors.ToDictionary(), title: "The ticket type has problems.") : TypedResults.Ok(saved);
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> RemoveAsync(
        string slug, string key, WebinarsDbContext db, TicketTypes types, ClaimsPrincipal user, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, user, ct);
        if (webinar is null) return TypedResults.NotFound();
        var (outcome, message) = await types.RemoveAsync(webinar, key, user.Actor(), ct);
        return outcome switch
        {
            TicketTypeRemoval.Removed => TypedResults.NoContent(),
            TicketTypeRemoval.NotFound => TypedResults.NotFound(),
            _ => TypedResults.Problem(message, statusCode: StatusCodes.Status409Conflict, title: "The ticket type is in use"),
        };
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Accounts;
using Webinars.Caching;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Time;

namespace Webinars.Webinars;

public static class WebinarsApi
{
    public static WebApplicationBuilder AddWebinars(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<WebinarService>();
        builder.Services.AddHostedService<ScheduleRecomputation>();
        return builder;
    }

    public static IEndpointRouteBuilder MapWebinars(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/webinars").WithTags("Webinars");
        api.MapGet("/", ListAsync).WithName("ListWebinars").WithSummary("Upcoming or past webinars, optionally of one topic.").PublicRead();
        api.MapGet("/{slug}", GetAsync).WithName("GetWebinar").WithSummary("One webinar, with its times in the host zone, the display zones and ?tz=.").PublicRead();

        var staff = api.MapGroup("/").RequireAuthorization(Policies.Staff);
        staff.MapPost("/", CreateAsync).WithName("CreateWebinar").WithSummary("Creates a draft webinar.");
        staff.MapPut("/{slug}", UpdateAsync).WithName("UpdateWebinar").WithSummary("Replaces a webinar's details.");
        staff.MapPost("/{slug}/announce", AnnounceAsync).WithName("AnnounceWebinar").WithSummary("Draft → Announced: visible to the public.");
        staff.MapPost("/{slug}/cancel", CancelAsync).WithName("CancelWebinar").WithSummary("Cancels a webinar and tells its registrants.");
        return app;
    }

    public static bool IsStaff(ClaimsPrincipal user) => user.IsInRole(Roles.Staff);

    /// <summary>Loads a webinar the caller may see: drafts only for staff.</summary>
    public static async Task<Webinar?> FindVisibleAsync(WebinarsDbContext db, string slug, ClaimsPrincipal user, CancellationToken ct)
    {
        var webinar = await db.Webinars.Include(w => w.Topic).Include(w => w.Speakers).Include(w => w.TicketTypes)
            .AsSingleQuery().FirstOrDefaultAsync(w => w.Slug == slug, ct);
        return webinar is not null && (webinar.IsPublic || IsStaff(user)) ? webinar : null;
    }

    private static async Task<Results<Ok<List<WebinarView>>, ValidationProblem>> ListAsync(
        WebinarsDbContext db, IClock clock, ClaimsPrincipal user, string? topic, string? when, string? tz, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var viewer = ViewerZone(errors, tz);
        if (when is not (null or "upcoming" or "past")) errors.Add("when", "When must be 'upcoming' or 'past'.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var list = await WebinarQueries.ListAsync(db, clock.GetCurrentInstant(), topic, past: when == "past", includeDrafts: IsStaff(user), ct);
        return TypedResults.Ok(list.Select(w => WebinarView.From(w, viewer, IsStaff(user))).ToList());
    }

    private static async Task<Results<Ok<WebinarView>, NotFound, ValidationProblem>> GetAsync(
        string slug, string? tz, WebinarsDbContext db, ClaimsPrincipal user, HttpContext context, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var viewer = ViewerZone(errors, tz);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());
        var webinar = await FindVisibleAsync(db, slug, user, ct);
        if (webinar is null) return TypedResults.NotFound();
        ReadTags.Shows(context, webinar.Id);
        return TypedResults.Ok(WebinarView.From(webinar, viewer, IsStaff(user)));
    }

    private static async Task<Results<Created<WebinarView>, ValidationProblem>> CreateAsync(
        WebinarInput input, WebinarsDbContext db, WebinarService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var (draft, topic, problem) = await ValidateAsync(input, db, ct);
        if (problem is not null) return problem;
        var webinar = await service.CreateAsync(draft!, topic!.Id, user.Actor(), ct);
        webinar.Topic = topic;
        return TypedResults.Created($"/api/webinars/{webinar.Slug}", WebinarView.From(webinar, includeJoinUrl: true));
    }

    private static async Task<Results<Ok<WebinarView>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string slug, WebinarInput input, WebinarsDbContext db, WebinarService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var webinar = await FindVisibleAsync(db, slug, user, ct);
        if (webinar is null) return TypedResults.NotFound();
        var (draft, topic, problem) = await ValidateAsync(input, db, ct);
        if (problem is not null) return problem;
        ChangeOutcome outcome;
        try
        {
            outcome = await service.UpdateAsync(webinar, draft!, topic!.Id, input.Version, user.Actor(), ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            outcome = ChangeOutcome.ChangedMeanwhile;
        }

        if (outcome == ChangeOutcome.WrongState) return WrongState(webinar, "edited");
        if (outcome == ChangeOutcome.ChangedMeanwhile)
        {
            db.ChangeTracker.Clear();
            var current = await FindVisibleAsync(db, slug, user, ct);
            return ChangedMeanwhile(current is null ? null : WebinarView.From(current, includeJoinUrl: true));
        }

        webinar.Topic = topic!;
        return TypedResults.Ok(WebinarView.From(webinar, includeJoinUrl: true));
    }

    private static Task<Results<Ok<WebinarView>, NotFound, ProblemHttpResult>> AnnounceAsync(
        string slug, WebinarsDbContext db, WebinarService service, ClaimsPrincipal user, CancellationToken ct) =>
        TransitionAsync(slug, db, user, "announced", (w, c) => service.AnnounceAsync(w, user.Actor(), c), ct, service.AnnounceRefusal);

    private static Task<Results<Ok<WebinarView>, NotFound, ProblemHttpResult>> CancelAsync(
        string slug, WebinarsDbContext db, WebinarService service, ClaimsPrincipal user, CancellationToken ct) =>
        TransitionAsync(slug, db, user, "cancelled", (w, c) => service.CancelAsync(w, user.Actor(), c), ct);

    private static async Task<Results<Ok<WebinarView>, NotFound, ProblemHttpResult>> TransitionAsync(
        string slug, WebinarsDbContext db, ClaimsPrincipal user, string verb,
        Func<Webinar, CancellationToken, Task<ChangeOutcome>> change, CancellationToken ct, Func<Webinar, string?>? refusal = null)
    {
        var webinar = await FindVisibleAsync(db, slug, user, ct);
        if (webinar is null) return TypedResults.NotFound();
        if (refusal?.Invoke(webinar) is { } reason)
        {
            return TypedResults.Problem(reason, statusCode: StatusCodes.Status409Conflict, title: $"The webinar cannot be {verb} yet");
        }

        try
        {
            return await change(webinar, ct) == ChangeOutcome.Done
                ? TypedResults.Ok(WebinarView.From(webinar, includeJoinUrl: true))
                : WrongState(webinar, verb);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ChangedMeanwhile();
        }
    }

    private static async Task<(WebinarDraft?, Topics.Topic?, ValidationProblem?)> ValidateAsync(WebinarInput input, WebinarsDbContext db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var extensions = new Dictionary<string, object?>();
        var draft = WebinarValidation.Validate(input, errors, extensions);
        var topicSlug = input.Topic?.Trim();
        var topic = string.IsNullOrEmpty(topicSlug) ? null : await db.Topics.FirstOrDefaultAsync(t => t.Slug == topicSlug, ct);
        if (topic is null && !errors.Has("topic")) errors.Add("topic", $"No topic with slug '{topicSlug}'.");
        if (errors.Any)
        {
            return (null, null, TypedResults.ValidationProblem(errors.ToDictionary(), title: "The webinar has problems.", extensions: extensions));
        }

        return (draft, topic, null);
    }

    private static ProblemHttpResult WrongState(Webinar webinar, string verb) => TypedResults.Problem(
        $"A webinar in status {webinar.Status} cannot be {verb}.", statusCode: StatusCodes.Status409Conflict, title: "Not allowed in this status");

    // The webinar's version is its concurrency token: a second writer loses instead of overwriting, and is shown what is
    // there now so that it can redo its change on top.
    private static ProblemHttpResult ChangedMeanwhile(WebinarView? current = null) => TypedResults.Problem(
        "The webinar was changed by someone else since you read it; nothing was saved. Its current values are in \"current\": apply your change to them and send it again.",
        statusCode: StatusCodes.Status409Conflict, title: "Changed meanwhile",
        extensions: current is null ? null : new Dictionary<string, object?> { ["current"] = current });

    internal static DateTimeZone? ViewerZone(FieldErrors errors, string? tz)
    {
        if (string.IsNullOrWhiteSpace(tz)) return null;
        var zone = HostTime.FindCurrentZone(tz.Trim());
        if (zone is null) errors.Add("tz", $"Unknown time zone '{tz}'; use an IANA id such as Asia/Tokyo.");
        return zone;
    }

}

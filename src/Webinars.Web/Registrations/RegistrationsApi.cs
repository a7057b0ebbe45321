using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Webinars.Accounts;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Payments;
using Webinars.Webinars;

namespace Webinars.Registrations;

public sealed record RegistrationReceipt(
    RegistrationStatus Status, string Webinar, string Message,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? CheckoutUrl = null);
public sealed record AnswerView(Guid QuestionId, string Label, string Value);
public sealed record MyRegistration(
    string Name, string Email, string Organization, string TimeZone, RegistrationStatus Status, Instant CreatedAt,
    IReadOnlyList<AnswerView> Answers, WebinarView Webinar);
public sealed record SendLinkRequest(string? Email);

/// <summary>Attendees: registering, their own registration (by token), and the magic link.</summary>
public static class RegistrationsApi
{
    public static WebApplicationBuilder AddRegistrations(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RegistrationOptions>().BindConfiguration(RegistrationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<RegistrationService>();
        builder.Services.AddScoped<RegistrantService>();
        builder.Services.AddScoped<ISeatGuard, SeatGuard>();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<RegistrationTargetCache>();
        builder.Services.AddSingleton<RegistrationBatches>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RegistrationBatches>());
        builder.Services.AddScoped<ISeatsAddedHandler, WaitlistPromotion>();
        builder.Services.AddSingleton<AttendeeCookies>();
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AttendeeAuthenticationHandler>(AccountsApi.AttendeeScheme, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy(AttendeeClaims.Policy, p => p
            .AddAuthenticationSchemes(AccountsApi.AttendeeScheme)
            .RequireClaim(AttendeeClaims.RegistrationId));
        builder.AddRegistrationRateLimits();
        return builder;
    }

    public static WebApplication MapRegistrations(this WebApplication app)
    {
        var webinar = app.MapGroup("/api/webinars/{slug}").WithTags("Registrations");
        webinar.MapPost("/registrations", RegisterAsync).RequireRateLimiting(RegistrationRateLimits.Register)
            .WithName("Register").WithSummary("Registers for a webinar; the access link is emailed, never returned.");
        webinar.MapPost("/registrations/send-link", SendLinkAsync).RequireRateLimiting(RegistrationRateLimits.SendLink)
            .WithName("SendLink").WithSummary("Emails a new access link if this email is registered; always 202.");
        webinar.MapGet("/questions", QuestionsAsync).WithName("GetRegistrationQuestions")
            .WithSummary("The webinar's registration questions (JSON); with Accept: text/csv or text/markdown the Q&A export (staff); other types 406.");

        var me = app.MapGroup("/api/registrations/me").WithTags("Registrations").RequireAuthorization(AttendeeClaims.Policy);
        me.MapGet("/", GetMineAsync).WithName("GetMyRegistration").WithSummary("The caller's registration (Bearer registration token).");
        me.MapDelete("/", CancelMineAsync).WithName("CancelMyRegistration").WithSummary("Cancels the caller's registration; idempotent.");

        app.MapGet("/r/{token}", OpenLinkAsync).RequireRateLimiting(RegistrationRateLimits.Link).ExcludeFromDescription();
        app.MapRegistrants();
        return app;
    }

    private static async Task<Results<Created<RegistrationReceipt>, ValidationProblem, NotFound, ProblemHttpResult>> RegisterAsync(
        string slug, RegistrationRequest request, WebinarsDbContext db, RegistrationTargetCache targets, RegistrationService service, IClock clock,
        IPaidCheckout paid, CancellationToken ct)
    {
        try
        {
            return await RegisterOnceAsync(slug, request, db, targets, service, clock, paid, ct);
        }
        catch (WebinarChangedException)
        {
            // Staff changed the webinar since it was read (perhaps from the short cache): decide again on what it is now.
            targets.Forget(slug);
        }

        try
        {
            return await RegisterOnceAsync(slug, request, db, targets, service, clock, paid, ct);
        }
        catch (WebinarChangedException)
        {
            targets.Forget(slug);
            return TypedResults.Problem("The webinar was being changed while you registered; nothing was saved. Please try again.",
                statusCode: StatusCodes.Status409Conflict, title: "The webinar changed");
        }
    }

    private static async Task<Results<Created<RegistrationReceipt>, ValidationProblem, NotFound, ProblemHttpResult>> RegisterOnceAsync(
        string slug, RegistrationRequest request, WebinarsDbContext db, RegistrationTargetCache targets, RegistrationService service, IClock clock,
        IPaidCheckout paid, CancellationToken ct)
    {
        if (await targets.FindAsync(db, slug, ct) is not var (webinar, questions)) return TypedResults.NotFound();
        var errors = new FieldErrors();
        var input = RegistrationValidation.Validate(request, questions, errors);
        // The ticket type is checked with the other fields, so one answer names every problem; free webinars read nothing more.
        var ticket = webinar.IsFree ? TicketTypes.NoneOnFree(request.TicketType, errors) : await TicketTypes.ChooseAsync(db, webinar, request.TicketType, errors, ct);
        if (input is null || errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The registration has problems.");
        if (RegistrationRules.Refusal(webinar, clock.GetCurrentInstant()) is { } refusal)
        {
            return TypedResults.Problem(refusal, statusCode: StatusCodes.Status409Conflict, title: "Registration is not possible");
        }

        if (!webinar.IsFree)
        {
            var outcome = await paid.RegisterAsync(webinar, input with { TicketTypeId = ticket?.Id }, ct);
            if (outcome.Status is not { } paidStatus)
            {
                return TypedResults.Problem(outcome.Problem ?? "The webinar is full.", statusCode: outcome.ProblemStatus,
                    title: outcome.ProblemStatus == StatusCodes.Status503ServiceUnavailable ? "Payment is unavailable; try again" : "Registration is not possible");
            }

            return TypedResults.Created("/api/registrations/me",
                new RegistrationReceipt(paidStatus, webinar.Slug, RegistrationRules.Message(paidStatus), outcome.CheckoutUrl));
        }

        var status = await service.RegisterAsync(webinar, input, ct);
        if (status is null) return TypedResults.Problem("The webinar is full.", statusCode: StatusCodes.Status409Conflict, title: "The webinar is full");
        return TypedResults.Created("/api/registrations/me", new RegistrationReceipt(status.Value, webinar.Slug, RegistrationRules.Message(status.Value)));
    }

    private static async Task<Results<Accepted, ValidationProblem, NotFound>> SendLinkAsync(
        string slug, SendLinkRequest request, WebinarsDbContext db, RegistrationService service, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var email = RegistrationValidation.NormaliseEmail(errors, request.Email);
        if (email is null) return TypedResults.ValidationProblem(errors.ToDictionary());
        var webinar = await RegistrationRules.FindAnnouncedAsync(db, slug, ct);
        if (webinar is null) return TypedResults.NotFound();
        var registration = await db.Registrations.FirstOrDefaultAsync(r => r.WebinarId == webinar.Id && r.Email == email, ct);
        if (registration is not null) await service.ResendLinkAsync(registration, actor: null, ct);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<IResult> QuestionsAsync(string slug, WebinarsDbContext db, HttpContext context, CancellationToken ct)
    {
        // The same path is the live Q&A's export (CSV or Markdown, staff only) in the contract (issue 8).
        switch (LiveQa.QuestionsFormats.Negotiate(context.Request))
        {
            case null: return LiveQa.QuestionsFormats.NotAcceptable(context.Request);
            case LiveQa.QuestionsFormat.Csv or LiveQa.QuestionsFormat.Markdown: return await LiveQa.LiveQaApi.ExportAsync(slug, context, db, ct);
        }

        var user = context.User;
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, user, ct);
        if (webinar is null) return TypedResults.NotFound();
        return TypedResults.Ok((await RegistrationRules.QuestionsAsync(db, webinar.Id, ct)).Select(QuestionView.From).ToList());
    }

    private static async Task<Results<Ok<MyRegistration>, NotFound>> GetMineAsync(
        ClaimsPrincipal user, WebinarsDbContext db, IClock clock, IOptions<RegistrationOptions> options, CancellationToken ct)
    {
        var id = AttendeeClaims.RegistrationOf(user);
        var registration = await db.Registrations.AsNoTracking().Include(r => r.Answers)
            .Include(r => r.Webinar).ThenInclude(w => w.Topic).Include(r => r.Webinar).ThenInclude(w => w.Speakers)
            .AsSplitQuery().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (registration is null) return TypedResults.NotFound();

        var w = registration.Webinar;
        var showJoin = registration.Status == RegistrationStatus.Confirmed && clock.GetCurrentInstant() >= RegistrationRules.JoinLinkOpensAt(w, options.Value);
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(registration.TimeZoneId);
        return TypedResults.Ok(new MyRegistration(
            registration.Name, registration.Email, registration.Organization, registration.TimeZoneId, registration.Status, registration.CreatedAt,
            registration.Answers.OrderBy(a => a.Order).Select(a => new AnswerView(a.QuestionId, a.Label, a.Value)).ToList(),
            WebinarView.From(w, zone, includeJoinUrl: showJoin)));
    }

    private static async Task<NoContent> CancelMineAsync(ClaimsPrincipal user, RegistrationService service, CancellationToken ct)
    {
        await service.CancelAsync(AttendeeClaims.RegistrationOf(user)!.Value, actor: null, ct);
        return TypedResults.NoContent();
    }

    /// <summary>The magic link: signs the attendee in for that webinar and moves them to a URL without the token.</summary>
    private static async Task<RedirectHttpResult> OpenLinkAsync(string token, HttpContext context, RegistrationService service, AttendeeCookies cookies, CancellationToken ct)
    {
        context.Response.Headers.CacheControl = "no-store";
        var opened = await service.OpenLinkAsync(token, ct);
        if (opened.Registration is not { } registration) return TypedResults.Redirect(opened.Expired ? "/registrations/link?expired=true" : "/registrations/link");
        cookies.SignIn(context, registration);
        return TypedResults.Redirect($"/webinars/{registration.Webinar.Slug}/manage");
    }
}

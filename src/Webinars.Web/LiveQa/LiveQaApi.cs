using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using StackExchange.Redis;
using Webinars.Accounts;
using Webinars.Data;
using Webinars.Infrastructure;
using Webinars.Webinars;

namespace Webinars.LiveQa;

public sealed record QaState(bool Open, string? Reason, Instant OpensAt, Instant ClosesAt, Instant? ClosedAt, bool Moderated, int LiveAttendees);

/// <summary>The live Q&amp;A: the hub, its background work, staff's open/close and the questions' export.</summary>
public static class LiveQaApi
{
    public static WebApplicationBuilder AddLiveQa(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<QaOptions>().BindConfiguration(QaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<QaAccess>();
        builder.Services.AddScoped<QaService>();
        builder.Services.AddScoped<QaModeration>();
        builder.Services.AddScoped<AttendanceService>();
        builder.Services.AddSingleton<QaBroadcast>();
        var connections = new QaConnections();
        builder.Services.AddSingleton(connections);
        builder.Services.AddSingleton<QaLimits>();
        builder.Services.AddSingleton<VoteBatches>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<VoteBatches>());
        builder.Services.AddSingleton<VoteWrites>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<VoteWrites>());
        builder.Services.AddSingleton<QaSweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<QaSweeper>());

        var signalR = builder.Services.AddSignalR(o => o.AddFilter<QaLimits>()).AddJsonProtocol().AddMessagePackProtocol();
        if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            // Every instance's clients get every instance's messages; groups and connection ids work across them.
            signalR.AddStackExchangeRedis(redis, o =>
            {
                o.Configuration.ChannelPrefix = RedisChannel.Literal("webinars");
                o.ConnectionFactory = async log =>
                {
                    var multiplexer = await ConnectionMultiplexer.ConnectAsync(o.Configuration, log);
                    // Back after an outage: what other instances sent meanwhile never arrived here, so this instance's
                    // clients reconnect and converge through the snapshot (decision 0013).
                    multiplexer.ConnectionRestored += (_, e) =>
                    {
                        if (e.ConnectionType == ConnectionType.Subscription) connections.EndAll();
                    };
                    return multiplexer;
                };
            });
        }

        KeepTokenOutOfLogs(builder);
        return builder;
    }

    public static WebApplication MapLiveQa(this WebApplication app)
    {
        var site = new Uri(app.Services.GetRequiredService<IOptions<SiteOptions>>().Value.BaseUrl);
        var origin = site.GetLeftPart(UriPartial.Authority);
        app.UseWhen(c => c.Request.Path.StartsWithSegments(AccountsApi.HubPath), hub => hub.Use((c, next) => QaAccess.GuardAsync(c, next, origin)));
        app.MapHub<QaHub>(AccountsApi.HubPath, o => o.AllowStatefulReconnects = true);

        var staff = app.MapGroup("/api/webinars/{slug}/qa").WithTags("Live Q&A").RequireAuthorization(Policies.Staff);
        staff.MapGet("/", StateAsync).WithName("GetQaState").WithSummary("Whether the Q&A is open, its window and how many attendees are here now.");
        staff.MapPost("/close", (string slug, WebinarsDbContext db, IClock clock, ClaimsPrincipal user, CancellationToken ct) =>
            SetAsync(slug, db, clock, user, open: false, ct)).WithName("CloseQa").WithSummary("Closes the Q&A now, whatever the schedule.");
        staff.MapPost("/open", (string slug, WebinarsDbContext db, IClock clock, ClaimsPrincipal user, CancellationToken ct) =>
            SetAsync(slug, db, clock, user, open: true, ct)).WithName("OpenQa").WithSummary("Opens (or reopens) the Q&A now, whatever the schedule.");
        staff.MapGet("/questions", ExportAsync).WithName("ExportQuestions")
            .WithSummary("All questions: JSON, or Accept: text/csv or text/markdown (also GET /api/webinars/{slug}/questions with those types).");
        staff.MapPost("/presenter-link", PresenterLinks.RotateAsync).WithName("RotatePresenterLink")
            .WithSummary("Makes a new secret link to the presenter view (read-only, no account needed); the previous link stops working.");
        return app;
    }

    /// <summary>The export; <c>GET /api/webinars/{slug}/questions</c> with a CSV or Markdown Accept lands here too.</summary>
    public static async Task<IResult> ExportAsync(string slug, HttpContext context, WebinarsDbContext db, CancellationToken ct)
    {
        if (!context.User.IsInRole(Roles.Staff)) return context.User.Identity?.IsAuthenticated == true ? TypedResults.Forbid() : TypedResults.Unauthorized();
        if (QuestionsFormats.Negotiate(context.Request) is not { } format) return QuestionsFormats.NotAcceptable(context.Request);
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, context.User, ct);
        if (webinar is null) return TypedResults.NotFound();
        var questions = await db.Questions.AsNoTracking().Where(q => q.WebinarId == webinar.Id).OrderBy(q => q.AskedAt).ThenBy(q => q.Id).ToListAsync(ct);
        var counts = await QaVotes.CountsAsync(db, questions, ct);
        return format switch
        {
            QuestionsFormat.Csv => TypedResults.File(QuestionsExport.Csv(questions, counts), "text/csv; charset=utf-8", $"{webinar.Slug}-questions.csv"),
            QuestionsFormat.Markdown => TypedResults.Text(QuestionsExport.Markdown(webinar, questions, counts), "text/markdown; charset=utf-8"),
            _ => TypedResults.Ok(questions.Select(q => QuestionViews.ForModerator(q, counts[q.Id])).ToList()),
        };
    }

    private static async Task<Results<Ok<QaState>, NotFound>> StateAsync(
        string slug, WebinarsDbContext db, IClock clock, IOptions<QaOptions> options, AttendanceService attendance, ClaimsPrincipal user, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, user, ct);
        if (webinar is null) return TypedResults.NotFound();
        var o = options.Value;
        var closed = o.Closed(webinar, clock.GetCurrentInstant());
        return TypedResults.Ok(new QaState(closed is null, closed, o.OpensAt(webinar), o.ClosesAt(webinar), webinar.QaClosedAt, webinar.QaModerated,
            await attendance.LiveCountAsync(webinar.Id, ct)));
    }

    private static async Task<Results<NoContent, NotFound>> SetAsync(string slug, WebinarsDbContext db, IClock clock, ClaimsPrincipal user, bool open, CancellationToken ct)
    {
        var webinar = await WebinarsApi.FindVisibleAsync(db, slug, user, ct);
        if (webinar is null) return TypedResults.NotFound();
        var now = clock.GetCurrentInstant();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // A direct update: the webinar's calendar sequence (its concurrency token) is not the Q&A's business.
        await db.Webinars.Where(w => w.Id == webinar.Id).ExecuteUpdateAsync(s => s
            .SetProperty(w => w.QaClosedAt, open ? null : now).SetProperty(w => w.QaOpenedByStaff, open), ct);
        db.AuditEntries.Add(new AuditEntry { At = now, Actor = user.Actor(), Action = open ? "qa.open" : "qa.close", Subject = webinar.Id.ToString() });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Browsers send the attendee token as <c>?access_token=</c> on the hub. ASP.NET Core's request log ("Request
    /// starting … ?access_token=…") is held at Warning; traces redact it (Infrastructure/Telemetry.cs).
    /// </summary>
    private static void KeepTokenOutOfLogs(WebApplicationBuilder builder) =>
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
}

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Accounts;
using Webinars.Caching;
using Webinars.Data;
using Webinars.Infrastructure;

namespace Webinars.Topics;

public sealed record TopicView(string Slug, string Name, string Description, string DescriptionHtml, TopicFeeds Feeds)
{
    public static TopicView From(Topic t) => new(t.Slug, t.Name, t.Description, t.DescriptionHtml,
        new TopicFeeds($"/topics/{t.Slug}/feed.rss", $"/topics/{t.Slug}/feed.atom", $"/topics/{t.Slug}/calendar.ics"));
}

public sealed record TopicFeeds(string Rss, string Atom, string Calendar);

public sealed record TopicInput(string? Name, string? Description);

public static class TopicsApi
{
    public static IEndpointRouteBuilder MapTopics(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/topics").WithTags("Topics");
        api.MapGet("/", async (WebinarsDbContext db, CancellationToken ct) =>
                TypedResults.Ok((await db.Topics.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct)).Select(TopicView.From).ToList()))
            .WithName("ListTopics").WithSummary("All topics.").PublicRead();
        api.MapGet("/{slug}", GetAsync).WithName("GetTopic").WithSummary("One topic and its feed addresses.").PublicRead();
        api.MapPost("/", CreateAsync).RequireAuthorization(Policies.Staff).WithName("CreateTopic").WithSummary("Creates a topic; its slug comes from the name.");
        return app;
    }

    private static async Task<Results<Ok<TopicView>, NotFound>> GetAsync(string slug, WebinarsDbContext db, CancellationToken ct) =>
        await db.Topics.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == slug, ct) is { } topic
            ? TypedResults.Ok(TopicView.From(topic))
            : TypedResults.NotFound();

    private static async Task<Results<Created<TopicView>, ValidationProblem>> CreateAsync(
        TopicInput input, WebinarsDbContext db, IClock clock, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var name = errors.Required("name", input.Name, Topic.MaxNameLength);
        var description = errors.Bounded("description", input.Description, Topic.MaxDescriptionLength) ?? "";
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary());

        var topic = await AddAsync(db, clock, name!, description, ct);
        var audit = new AuditEntry { At = clock.GetCurrentInstant(), Actor = user.Identity?.Name ?? "unknown", Action = "topic.create", Subject = topic.Slug };
        db.AuditEntries.Add(audit);
        await Slugs.SaveAsync(db, Slugs.From(name!), () => topic.Slug, s => db.Topics.AnyAsync(t => t.Slug == s, ct), s => topic.Slug = audit.Subject = s, ct);
        return TypedResults.Created($"/api/topics/{topic.Slug}", TopicView.From(topic));
    }

    /// <summary>Adds a topic with a unique slug made from its name; the caller saves.</summary>
    public static async Task<Topic> AddAsync(WebinarsDbContext db, IClock clock, string name, string description, CancellationToken ct)
    {
        var slug = await Slugs.UniqueAsync(Slugs.From(name), s => db.Topics.AnyAsync(t => t.Slug == s, ct));
        var topic = new Topic { Slug = slug, Name = name, Description = description, DescriptionHtml = Markdown.ToSafeHtml(description), CreatedAt = clock.GetCurrentInstant() };
        db.Topics.Add(topic);
        return topic;
    }
}

/// <summary>Topics saved before their description was rendered on save get it once, at start-up.</summary>
internal static class TopicHtmlBackfill
{
    public static async Task RunAsync(WebinarsDbContext db, CancellationToken ct)
    {
        var missing = await db.Topics.Where(t => t.DescriptionHtml == "" && t.Description != "").OrderBy(t => t.Id).ToListAsync(ct);
        foreach (var topic in missing) topic.DescriptionHtml = Markdown.ToSafeHtml(topic.Description);
        if (missing.Count > 0) await db.SaveChangesAsync(ct);
    }
}

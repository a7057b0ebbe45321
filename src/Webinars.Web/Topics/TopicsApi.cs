using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
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
    public static WebApplicationBuilder AddTopics(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<TopicService>();
        return builder;
    }

    public static IEndpointRouteBuilder MapTopics(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/topics").WithTags("Topics");
        api.MapGet("/", async (TopicService topics, CancellationToken ct) => TypedResults.Ok((await topics.ListAsync(ct)).Select(TopicView.From).ToList()))
            .WithName("ListTopics").WithSummary("All topics.").PublicRead();
        api.MapGet("/{slug}", GetAsync).WithName("GetTopic").WithSummary("One topic and its feed addresses.").PublicRead();
        api.MapPost("/", CreateAsync).RequireAuthorization(Policies.Staff).WithName("CreateTopic").WithSummary("Creates a topic; its slug comes from the name.");
        api.MapPut("/{slug}", UpdateAsync).RequireAuthorization(Policies.Staff).WithName("UpdateTopic").WithSummary("Changes a topic's name and description; its slug stays.");
        return app;
    }

    private static async Task<Results<Ok<TopicView>, NotFound>> GetAsync(string slug, TopicService topics, CancellationToken ct) =>
        await topics.FindAsync(slug, ct) is { } topic ? TypedResults.Ok(TopicView.From(topic)) : TypedResults.NotFound();

    private static async Task<Results<Created<TopicView>, ValidationProblem>> CreateAsync(
        TopicInput input, TopicService topics, ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (TopicService.Validate(input.Name, input.Description, errors) is not { } draft) return TypedResults.ValidationProblem(errors.ToDictionary());
        var topic = await topics.CreateAsync(draft, user.Actor(), ct);
        return TypedResults.Created($"/api/topics/{topic.Slug}", TopicView.From(topic));
    }

    private static async Task<Results<Ok<TopicView>, NotFound, ValidationProblem>> UpdateAsync(
        string slug, TopicInput input, TopicService topics, ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (TopicService.Validate(input.Name, input.Description, errors) is not { } draft) return TypedResults.ValidationProblem(errors.ToDictionary());
        if (await topics.FindAsync(slug, ct) is not { } topic) return TypedResults.NotFound();
        await topics.UpdateAsync(topic, draft, user.Actor(), ct);
        return TypedResults.Ok(TopicView.From(topic));
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

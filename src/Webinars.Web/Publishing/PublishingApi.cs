using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Webinars.Accounts;
using Webinars.Infrastructure;

namespace Webinars.Publishing;

public sealed record RecordingInput(string? YouTubeUrl, int? VideoOffsetSeconds);
public sealed record RecordingView(string VideoId, string Url, string EmbedUrl);
public sealed record RecapInput(string? Markdown);
public sealed record RecapMarkdown(string Markdown);
public sealed record RecapView(string Html, NodaTime.Instant? PublishedAt, NodaTime.Instant? UpdatedAt);
public sealed record RevisionView(int Revision, string EditedBy, NodaTime.Instant EditedAt, string Html);
public sealed record PublishedView(NodaTime.Instant PublishedAt, RecordingView Recording, IReadOnlyList<StepView> Steps);

public static class PublishingApi
{
    public const int MaxOffsetSeconds = 24 * 3600;

    public static WebApplicationBuilder AddPublishing(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<YouTubeOptions>().BindConfiguration(YouTubeOptions.Section)
            .Validate(o => o.IsValid, "YouTube:ApiBase must be an absolute URL; TimeoutSeconds and PollSeconds > 0; MaxRetries and RetryDelaySeconds >= 0.")
            .Validate(o => !o.IsConfigured || File.Exists(o.CredentialsFile), "YouTube:CredentialsFile names a file that does not exist.")
            .ValidateOnStart();
        builder.Services.AddScoped<PublishingService>();
        builder.Services.AddScoped<PublishingSteps>();
        builder.Services.AddSingleton<IYouTubeClient, YouTubeClient>();
        builder.Services.AddScoped<IWebinarHappenings, LiveQaHappenings>();
        builder.Services.AddSingleton<PublishingWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PublishingWorker>());
        return builder;
    }

    public static IEndpointRouteBuilder MapPublishing(this IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup("/api/webinars/{slug}").WithTags("Publishing").RequireAuthorization(Policies.Staff);
        staff.MapPut("/recording", SetRecordingAsync).WithName("SetRecording").WithSummary("Sets the webinar's YouTube recording from a pasted link.");
        staff.MapGet("/recap/draft", DraftAsync).WithName("DraftRecap").WithSummary("A first recap in Markdown, written from the webinar and its Q&A.");
        staff.MapPut("/recap", SaveRecapAsync).WithName("SaveRecap").WithSummary("Saves the recap's Markdown as a new revision.");
        staff.MapGet("/recap/revisions", RevisionsAsync).WithName("RecapRevisions").WithSummary("Every saved revision, newest first.");
        staff.MapPost("/recap/publish", PublishAsync).WithName("PublishRecap").WithSummary("Publishes recording and recap; emails registrants once.");
        app.MapPost("/api/recap/preview", (RecapInput input) => TypedResults.Ok(new { html = Infrastructure.Markdown.ToSafeHtml(input.Markdown) }))
            .WithTags("Publishing").RequireAuthorization(Policies.Staff).WithName("PreviewRecap").WithSummary("The sanitised HTML a recap's Markdown becomes.");
        staff.MapGet("/publishing", StatusAsync).WithName("PublishingStatus").WithSummary("Each YouTube step's status.");
        return app;
    }

    public static RecordingView? Recording(Publication? p) =>
        p?.VideoId is string id ? ToView(new YouTubeLink(id, null)) : null;

    /// <summary>Readers see the recap once published; staff always (to preview it on the page).</summary>
    public static RecapView? Recap(Publication? p, bool staff) =>
        p is not null && (p.IsPublished || (staff && p.RecapHtml.Length > 0)) ? new RecapView(p.RecapHtml, p.PublishedAt, p.RecapUpdatedAt) : null;

    private static RecordingView ToView(YouTubeLink link) => new(link.VideoId, link.Url, link.EmbedUrl);

    private static async Task<Results<Ok<RecordingView>, NotFound, ValidationProblem>> SetRecordingAsync(
        string slug, RecordingInput input, PublishingService service, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var link = YouTubeLink.Parse(input.YouTubeUrl);
        if (link is null) errors.Add("youtubeUrl", string.IsNullOrWhiteSpace(input.YouTubeUrl) ? "A YouTube link is required. " + YouTubeLink.Accepted : "Not a YouTube video link. " + YouTubeLink.Accepted);
        if (input.VideoOffsetSeconds is < -MaxOffsetSeconds or > MaxOffsetSeconds) errors.Add("videoOffsetSeconds", $"The offset must be between -{MaxOffsetSeconds} and {MaxOffsetSeconds} seconds.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The recording link has problems.");

        var webinar = await service.FindAsync(slug, ct);
        if (webinar is null) return TypedResults.NotFound();
        await service.SetRecordingAsync(webinar, link!, input.VideoOffsetSeconds ?? webinar.Publication?.VideoOffsetSeconds ?? 0, http.User.Actor(), ct);
        return TypedResults.Ok(ToView(link!));
    }

    private static async Task<Results<Ok<RecapMarkdown>, NotFound>> DraftAsync(string slug, PublishingService service, CancellationToken ct)
    {
        var webinar = await service.FindAsync(slug, ct);
        return webinar is null ? TypedResults.NotFound() : TypedResults.Ok(new RecapMarkdown(await service.DraftAsync(webinar, ct)));
    }

    private static async Task<Results<Ok<RevisionView>, NotFound, ValidationProblem, ProblemHttpResult>> SaveRecapAsync(
        string slug, RecapInput input, PublishingService service, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var markdown = errors.Required("markdown", input.Markdown, Publication.MaxRecapLength);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The recap has problems.");
        var webinar = await service.FindAsync(slug, ct);
        if (webinar is null) return TypedResults.NotFound();
        try
        {
            var r = await service.SaveRecapAsync(webinar, markdown!, http.User.Actor(), ct);
            return TypedResults.Ok(new RevisionView(r.Number, r.EditedBy, r.EditedAt, r.Html));
        }
        catch (DbUpdateException)
        {
            return TypedResults.Problem("Someone else saved the recap at the same time; reload it and try again.", statusCode: StatusCodes.Status409Conflict, title: "Changed meanwhile");
        }
    }

    private static async Task<Results<Ok<List<RevisionView>>, NotFound>> RevisionsAsync(string slug, PublishingService service, CancellationToken ct)
    {
        var webinar = await service.FindAsync(slug, ct);
        if (webinar is null) return TypedResults.NotFound();
        var revisions = await service.RevisionsAsync(webinar, ct);
        return TypedResults.Ok(revisions.Select(r => new RevisionView(r.Number, r.EditedBy, r.EditedAt, r.Html)).ToList());
    }

    private static async Task<Results<Ok<PublishedView>, NotFound, ValidationProblem, ProblemHttpResult>> PublishAsync(
        string slug, PublishingService service, HttpContext http, CancellationToken ct)
    {
        var webinar = await service.FindAsync(slug, ct);
        if (webinar is null) return TypedResults.NotFound();
        var outcome = await service.PublishAsync(webinar, http.User.Actor(), ct);
        switch (outcome)
        {
            case PublishOutcome.NoRecording:
                return Field("youtubeUrl", "Set the recording's YouTube link before publishing.");
            case PublishOutcome.NoRecap:
                return Field("markdown", "Save a recap before publishing.");
            case PublishOutcome.NotEnded:
                return TypedResults.Problem("The webinar has not ended yet.", statusCode: StatusCodes.Status409Conflict, title: "Not ended");
            case PublishOutcome.WrongState:
                return TypedResults.Problem($"A webinar in status {webinar.Status} cannot be published.", statusCode: StatusCodes.Status409Conflict, title: "Not allowed in this status");
        }

        webinar = (await service.FindAsync(slug, ct))!;
        var p = webinar.Publication!;
        return TypedResults.Ok(new PublishedView(p.PublishedAt!.Value, Recording(p)!, await service.StepsAsync(webinar, ct)));
    }

    private static async Task<Results<Ok<IReadOnlyList<StepView>>, NotFound>> StatusAsync(string slug, PublishingService service, CancellationToken ct)
    {
        var webinar = await service.FindAsync(slug, ct);
        return webinar is null ? TypedResults.NotFound() : TypedResults.Ok(await service.StepsAsync(webinar, ct));
    }

    private static ValidationProblem Field(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Not ready to publish.");
}

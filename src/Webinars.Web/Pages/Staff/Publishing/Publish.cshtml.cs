using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Webinars.Accounts;
using Webinars.Publishing;
using Webinars.Webinars;

namespace Webinars.Pages.Staff.Publishing;

/// <summary>After the webinar: paste the recording's link, draft and edit the recap with a live preview, publish, watch the YouTube steps.</summary>
public sealed class PublishModel(PublishingService service) : PageModel
{
    public WebinarView? Current { get; private set; }
    public Publication? Publication { get; private set; }
    public IReadOnlyList<StepView> Steps { get; private set; } = [];
    public IReadOnlyList<RecapRevision> Revisions { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];
    [TempData] public string? Message { get; set; }

    [BindProperty] public string? YouTubeUrl { get; set; }
    [BindProperty] public int? VideoOffsetSeconds { get; set; }
    [BindProperty] public string? Markdown { get; set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        var webinar = await service.FindAsync(slug, ct);
        if (webinar is null) return NotFound();
        await LoadAsync(webinar, ct);
        YouTubeUrl = Publication?.VideoId is string id ? new YouTubeLink(id, null).Url : null;
        VideoOffsetSeconds = Publication?.VideoOffsetSeconds ?? 0;
        Markdown = Publication?.RecapMarkdown;
        return Page();
    }

    public async Task<IActionResult> OnPostRecordingAsync(string slug, CancellationToken ct)
    {
        var webinar = await service.FindAsync(slug, ct);
        if (webinar is null) return NotFound();
        var link = YouTubeLink.Parse(YouTubeUrl);
        if (link is null) Errors["youtubeUrl"] = "Not a YouTube video link. " + YouTubeLink.Accepted;
        if (VideoOffsetSeconds is < -PublishingApi.MaxOffsetSeconds or > PublishingApi.MaxOffsetSeconds) Errors["videoOffsetSeconds"] = "The offset must be within a day.";
        if (Errors.Count > 0) return await RedisplayAsync(webinar, ct);
        await service.SetRecordingAsync(webinar, link!, VideoOffsetSeconds ?? 0, User.Actor(), ct);
        Message = $"Recording set: {link!.Url}";
        return Redirect($"/staff/webinars/{slug}/publish");
    }

    /// <summary>Fills the editor with a draft; nothing is saved until staff save it.</summary>
    public async Task<IActionResult> OnPostDraftAsync(string slug, CancellationToken ct)
    {
        var webinar = await service.FindAsync(slug, ct);
        if (webinar is null) return NotFound();
        await LoadAsync(webinar, ct);
        Markdown = await service.DraftAsync(webinar, ct);
        ModelState.Remove(nameof(Markdown));
        YouTubeUrl = Publication?.VideoId is string id ? new YouTubeLink(id, null).Url : null;
        VideoOffsetSeconds = Publication?.VideoOffsetSeconds ?? 0;
        Message = "Draft written from the webinar; edit it, then save.";
        return Page();
    }

    public async Task<IActionResult> OnPostRecapAsync(string slug, CancellationToken ct)
    {
        var webinar = await service.FindAsync(slug, ct);
        if (webinar is null) return NotFound();
        if (string.IsNullOrWhiteSpace(Markdown)) Errors["markdown"] = "Write the recap (or draft it from the webinar) before saving.";
        else if (Markdown.Length > Publication.MaxRecapLength) Errors["markdown"] = $"The recap is longer than {Publication.MaxRecapLength} characters.";
        if (Errors.Count > 0) return await RedisplayAsync(webinar, ct);
        var revision = await service.SaveRecapAsync(webinar, Markdown!, User.Actor(), ct);
        Message = $"Recap saved (revision {revision.Number}).";
        return Redirect($"/staff/webinars/{slug}/publish");
    }

    public async Task<IActionResult> OnPostPublishAsync(string slug, CancellationToken ct)
    {
        var webinar = await service.FindAsync(slug, ct);
        if (webinar is null) return NotFound();
        var outcome = await service.PublishAsync(webinar, User.Actor(), ct);
        if (outcome != PublishOutcome.Published)
        {
            Errors["publish"] = outcome switch
            {
                PublishOutcome.NoRecording => "Set the recording's YouTube link before publishing.",
                PublishOutcome.NoRecap => "Save a recap before publishing.",
                PublishOutcome.NotEnded => "The webinar has not ended yet.",
                _ => $"A webinar in status {webinar.Status} cannot be published.",
            };
            return await RedisplayAsync(webinar, ct);
        }

        Message = "Published: the recording and recap are on the webinar's page and in the feeds; registrants are being emailed.";
        return Redirect($"/staff/webinars/{slug}/publish");
    }

    private async Task<IActionResult> RedisplayAsync(Webinar webinar, CancellationToken ct)
    {
        await LoadAsync(webinar, ct);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task LoadAsync(Webinar webinar, CancellationToken ct)
    {
        Current = WebinarView.From(webinar, includeJoinUrl: true);
        Publication = webinar.Publication;
        Steps = await service.StepsAsync(webinar, ct);
        Revisions = await service.RevisionsAsync(webinar, ct);
    }
}

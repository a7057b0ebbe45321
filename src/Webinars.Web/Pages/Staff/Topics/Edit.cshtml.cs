using Microsoft.AspNetCore.Mvc;
using Webinars.Accounts;
using Webinars.Topics;

namespace Webinars.Pages.Staff.Topics;

public sealed class EditModel(TopicService topics) : TopicFormPage(topics)
{
    public string Slug { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (await Topics.FindAsync(slug, ct) is not { } topic) return NotFound();
        (Slug, Name, Description) = (topic.Slug, topic.Name, topic.Description);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken ct)
    {
        if (await Topics.FindAsync(slug, ct) is not { } topic) return NotFound();
        Slug = topic.Slug;
        if (await ValidateAsync(exceptSlug: topic.Slug, ct) is not { } draft) return Page();
        await Topics.UpdateAsync(topic, draft, User.Actor(), ct);
        return RedirectToPage("/Staff/Topics/Index", new { saved = topic.Slug });
    }
}

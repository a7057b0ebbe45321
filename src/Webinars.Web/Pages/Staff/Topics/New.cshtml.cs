using Microsoft.AspNetCore.Mvc;
using Webinars.Accounts;
using Webinars.Topics;

namespace Webinars.Pages.Staff.Topics;

public sealed class NewModel(TopicService topics) : TopicFormPage(topics)
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await ValidateAsync(exceptSlug: null, ct) is not { } draft) return Page();
        var topic = await Topics.CreateAsync(draft, User.Actor(), ct);
        return RedirectToPage("/Staff/Topics/Index", new { created = topic.Slug });
    }
}

using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Webinars.Data;
using Webinars.Topics;

namespace Webinars.Pages.Staff.Topics;

/// <summary>Every topic with how many webinars it has; after a create or an edit, a notice naming it.</summary>
public sealed class IndexModel(TopicService topics, WebinarsDbContext db) : PageModel
{
    public List<Topic> Topics { get; private set; } = [];
    public Dictionary<Guid, int> WebinarCounts { get; private set; } = [];

    /// <summary>The topic just created (the notice offers a webinar in it) or saved.</summary>
    public Topic? Created { get; private set; }
    public Topic? Saved { get; private set; }

    public async Task OnGetAsync(string? created, string? saved, CancellationToken ct)
    {
        Topics = await topics.ListAsync(ct);
        WebinarCounts = await db.Webinars.GroupBy(w => w.TopicId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        Created = Topics.FirstOrDefault(t => t.Slug == created);
        Saved = Topics.FirstOrDefault(t => t.Slug == saved);
    }
}

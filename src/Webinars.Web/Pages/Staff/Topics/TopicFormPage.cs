using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Webinars.Infrastructure;
using Webinars.Topics;

namespace Webinars.Pages.Staff.Topics;

/// <summary>What the new-topic and edit-topic pages share: the fields, their validation and the same-name warning.</summary>
public abstract class TopicFormPage(TopicService topics) : PageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Description { get; set; }

    /// <summary>Staff saw the warning about another topic with this name and save anyway.</summary>
    [BindProperty] public bool AllowSameName { get; set; }

    public IDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>Another topic with the name entered, shown as a warning until staff confirm.</summary>
    public Topic? SameName { get; private set; }

    protected TopicService Topics => topics;

    /// <summary>The valid draft, or null after setting what the page shows instead (errors, or the same-name warning).</summary>
    protected async Task<TopicDraft?> ValidateAsync(string? exceptSlug, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var draft = TopicService.Validate(Name, Description, errors);
        if (draft is null)
        {
            Errors = errors.ToDictionary();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return null;
        }

        if (!AllowSameName && await topics.SameNameAsync(draft.Name, exceptSlug, ct) is { } same)
        {
            SameName = same;
            Response.StatusCode = StatusCodes.Status409Conflict;
            return null;
        }

        return draft;
    }
}

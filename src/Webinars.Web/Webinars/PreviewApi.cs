using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using Webinars.Accounts;
using Webinars.Infrastructure;
using Webinars.Time;

namespace Webinars.Webinars;

public sealed record WebinarPreview(string Headline, IReadOnlyList<DisplayTime> DisplayTimes);

/// <summary>
/// The staff form's live preview: the same <see cref="WebinarInput"/> and the same validation as saving, so a DST gap
/// or overlap shows up (with its alternatives) while the time is typed. Topic and title are not needed to preview.
/// </summary>
public static class PreviewApi
{
    public static IEndpointRouteBuilder MapWebinarPreview(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/webinars/preview", Preview)
            .RequireAuthorization(Policies.Staff)
            .WithTags("Webinars")
            .WithName("PreviewWebinarTimes")
            .WithSummary("The headline and the time in every display zone for a webinar being edited; nothing is saved.");
        return app;
    }

    private static Results<Ok<WebinarPreview>, ValidationProblem> Preview(WebinarInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Topic)) input.Topic = "preview";
        if (string.IsNullOrWhiteSpace(input.Title)) input.Title = "Preview";
        var errors = new FieldErrors();
        var extensions = new Dictionary<string, object?>();
        var draft = WebinarValidation.Validate(input, errors, extensions);
        if (draft is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The webinar has problems.", extensions: extensions);
        }

        var start = draft.Start.ToInstant();
        var length = Duration.FromMinutes(draft.DurationMinutes);
        var others = draft.DisplayZoneIds.Where(id => id != draft.HostZone.Id).Select(id => DateTimeZoneProviders.Tzdb[id]).ToList();
        var times = new List<DisplayTime> { TimeText.For(start, length, draft.HostZone) };
        times.AddRange(others.Select(z => TimeText.For(start, length, z)));
        return TypedResults.Ok(new WebinarPreview(TimeText.Headline(start, length, draft.HostZone, others), times));
    }
}

namespace Webinars.LiveQa;

/// <summary>
/// Who a joined hub connection is: an attendee (a registration), a moderator (moderator or staff account), or a
/// presenter screen opened by the webinar's presenter link (neither: it only watches what attendees see).
/// </summary>
public sealed record QaCaller(Guid WebinarId, string WebinarSlug, Guid? RegistrationId, string? ModeratorName)
{
    public bool IsModerator => ModeratorName is not null;

    public bool IsPresenter => ModeratorName is null && RegistrationId is null;

    public static string Moderators(Guid webinarId) => $"qa:{webinarId:N}:moderators";

    public static string Attendees(Guid webinarId) => $"qa:{webinarId:N}:attendees";

    /// <summary>Every connection of one registration (its own pending questions), on whichever instance.</summary>
    public static string Registration(Guid registrationId) => $"qa:registration:{registrationId:N}";
}

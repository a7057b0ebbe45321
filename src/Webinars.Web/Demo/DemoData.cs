using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Accounts;
using Webinars.Data;
using Webinars.Publishing;
using Webinars.Topics;
using Webinars.Webinars;

namespace Webinars.Demo;

/// <summary>
/// First run in Development: the institute's topic page from the seed (a past webinar with its speakers) and one
/// upcoming webinar, plus a demo staff account whose password is printed once.
/// </summary>
public static class DemoData
{
    public const string StaffEmail = "staff@example.org";
    public const string TopicName = "Strategic Trust-Building";
    public const string PastTitle = "International Organizations and Conflict Resolution in the Time of COVID-19";

    public static async Task SeedAsync(IServiceProvider services, ILogger logger, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebinarsDbContext>();
        var clock = scope.ServiceProvider.GetRequiredService<IClock>();
        if (await db.Topics.AnyAsync(ct)) return;

        var topic = await scope.ServiceProvider.GetRequiredService<TopicService>().CreateAsync(new TopicDraft(TopicName,
            "Dialogue among rival powers on the military, diplomatic and technological questions that decide whether they can trust each other."), "demo", ct);

        var webinars = scope.ServiceProvider.GetRequiredService<WebinarService>();
        var past = await webinars.CreateAsync(PastWebinar(), topic.Id, "demo", ct);
        await webinars.AnnounceAsync(past, "demo", ct);
        await PublishPastAsync(scope.ServiceProvider.GetRequiredService<PublishingService>(), past.Slug, ct);

        var today = clock.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["America/New_York"]).Date;
        var upcoming = await webinars.CreateAsync(UpcomingWebinar(today.PlusWeeks(3)), topic.Id, "demo", ct);
        await webinars.AnnounceAsync(upcoming, "demo", ct);

        var password = UsersCommand.GeneratePassword();
        var created = await UsersCommand.CreateAsync(scope.ServiceProvider, StaffEmail, password, Roles.Staff);
        if (created.Succeeded)
        {
            logger.LogWarning("Demo staff account: {Email} / {Password} (shown once; Development only)", StaffEmail, password);
        }
    }

    public static WebinarDraft PastWebinar() => new(
        "strategic-trust-building",
        PastTitle,
        """
        Join us for an engaging discussion of the challenges posed to conflict prevention by an environment where
        digital communications have replaced face-to-face interactions.

        The webinar will discuss the impact of the pandemic on international organizations dealing with conflict
        prevention or resolution (particularly the **UN** and **OSCE**): how it has challenged their institutional
        capacity and their ability to carry out their missions, especially disarmament and arms control, and the need
        to reevaluate conflict prevention and resolution efforts for the new reality.
        """,
        DateTimeZoneProviders.Tzdb["America/New_York"],
        new LocalDateTime(2020, 12, 7, 9, 0).InZoneStrictly(DateTimeZoneProviders.Tzdb["America/New_York"]),
        60,
        ["America/New_York", "Europe/Paris"],
        Capacity: null,
        Waitlist: true,
        RequiresApproval: false,
        PriceAmount: null,
        PriceCurrency: null,
        [
            new Speaker { Honorific = "Hon.", Name = "Izumi Nakamitsu", Affiliation = "Under-Secretary-General and High Representative for Disarmament Affairs, United Nations", Role = SpeakerRole.Speaker, Order = 0 },
            new Speaker { Honorific = "Ambassador", Name = "Tuula Yrjölä", Affiliation = "Officer-in-Charge/Deputy Head of the Secretariat and Director of the Conflict Prevention Centre, OSCE", Role = SpeakerRole.Speaker, Order = 1 },
            new Speaker { Name = "Bruce McConnell", Affiliation = "President and CEO, EastWest Institute", Role = SpeakerRole.Moderator, Order = 2 },
            new Speaker { Honorific = "Dr.", Name = "Mark Meirowitz", Affiliation = "Professor of Humanities, SUNY Maritime College; EWI Senior Fellow", Role = SpeakerRole.Discussant, Order = 3 },
            new Speaker { Name = "Nvard Chalikyan", Affiliation = "Consultant, EWI's Russia and the United States program", Role = SpeakerRole.Discussant, Order = 4 },
        ],
        JoinUrl: null,
        RegistrationOpensAt: null,
        RegistrationClosesAt: null);

    /// <summary>The seed's recording link has no video id; this stands in for it (a demo id, not a real video).</summary>
    public const string PastVideoId = "EWIdemo2020";

    /// <summary>The 2020 webinar's recording and its recap, published as the institute's page has them.</summary>
    private static async Task PublishPastAsync(PublishingService publishing, string slug, CancellationToken ct)
    {
        var webinar = (await publishing.FindAsync(slug, ct))!;
        await publishing.SetRecordingAsync(webinar, new YouTubeLink(PastVideoId, null), 0, "demo", ct);
        await publishing.SaveRecapAsync(webinar, PastRecap, "demo", ct);
        await publishing.PublishAsync(webinar, "demo", ct);
    }

    public const string PastRecap = """
        On December 7, the EastWest Institute (EWI) conducted a webinar on "International Organizations and Conflict
        Resolution in the Time of COVID-19." The webinar featured distinguished speakers Hon. Izumi Nakamitsu,
        under-secretary-general and high representative for Disarmament Affairs at the United Nations, and Ambassador
        Tuula Yrjölä, officer-in-charge/deputy head of the Secretariat and director of the Conflict Prevention Centre.

        The webinar was moderated by Bruce McConnell, EWI president and CEO. Discussants included Dr. Mark Meirowitz,
        professor of humanities at SUNY Maritime College in New York and EWI senior fellow, and Nvard Chalikyan,
        consultant for EWI's Russia and the United States program.

        The panelists discussed how COVID-19 impacts the operations of conflict resolution organizations, particularly
        in their ability to execute their missions within the constraints of a digital work environment.

        Hon. Izumi Nakamitsu said that COVID-19 is having a devastating effect on all aspects of the UN Sustainable
        Development Goals, especially on security and development, as it has accelerated many existing security threats.
        "Such times of pressing emergency and widespread turmoil represent a crucial opportunity to propose bolder
        approaches to conflict prevention," she noted.

        Ambassador Tuula Yrjölä said that COVID-19 has had an unprecedented effect on multilateralism and conflict
        resolution efforts in general, and in particular on the security operations of the OSCE in the regions they
        cover—Ukraine, Transnistria, Georgia and Nagorno-Karabakh.

        Discussant Nvard Chalikyan presented recent research by the EastWest Institute on the impact COVID-19 has had on
        global security and the work of Track 2 organizations. Dr. Mark Meirowitz spoke about the lessons learned from
        the pandemic: "Maybe the UN system is not amenable to the world as we see it today; maybe there needs to be a
        reset of the UN and how it functions," he noted.

        ## Q&A

        During the Q&A session, several webinar participants asked why the COVID-19 pandemic has had a more dividing
        effect, rather than bringing the international community together. Other participants asked whether Track 2
        diplomacy would ever be conducted as it was before the pandemic.

        Ambassador Yrjölä said that it is largely up to the participating states to recognize the value of
        multilateralism and get out of this crisis; international organizations working on conflict resolution will most
        likely have more blended work formats going forward. Nakamitsu said that the pandemic has created a greater need
        for the revival of multilateralism.

        [Watch the full webinar on YouTube](https://www.youtube.com/watch?v=EWIdemo2020).
        """;

    public static WebinarDraft UpcomingWebinar(LocalDate date) => new(
        "strategic-trust-building",
        "Military-to-Military Dialogue: Rebuilding Channels Between Rival Powers",
        """
        Retired senior officers discuss how military-to-military channels can prevent incidents from escalating,
        and what it takes to rebuild them when political relations are at a low.
        """,
        DateTimeZoneProviders.Tzdb["America/New_York"],
        date.At(new LocalTime(9, 0)).InZoneLeniently(DateTimeZoneProviders.Tzdb["America/New_York"]),
        90,
        ["America/New_York", "Europe/Paris", "Europe/Moscow", "Asia/Shanghai"],
        Capacity: 100,
        Waitlist: true,
        RequiresApproval: false,
        PriceAmount: null,
        PriceCurrency: null,
        [
            new Speaker { Name = "Bruce McConnell", Affiliation = "President and CEO, EastWest Institute", Role = SpeakerRole.Moderator, Order = 0 },
            new Speaker { Name = "Vladimir Ivanov", Affiliation = "Director, EWI Russia program", Role = SpeakerRole.Speaker, Order = 1 },
        ],
        JoinUrl: "https://meet.example.org/mil-to-mil",
        RegistrationOpensAt: null,
        RegistrationClosesAt: null);
}

using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Accounts;
using Webinars.Data;
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

        var topic = await TopicsApi.AddAsync(db, clock, TopicName,
            "Dialogue among rival powers on the military, diplomatic and technological questions that decide whether they can trust each other.", ct);
        await db.SaveChangesAsync(ct);

        var webinars = scope.ServiceProvider.GetRequiredService<WebinarService>();
        var past = await webinars.CreateAsync(PastWebinar(), topic.Id, "demo", ct);
        await webinars.AnnounceAsync(past, "demo", ct);

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

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Webinars.Data;
using Webinars.Demo;
using Webinars.LiveQa;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;
using Webinars.Webinars;

namespace Webinars.Tests.Publishing;

/// <summary>The seed's 2020 webinar with what happened at it: registrants, attendance and Q&amp;A.</summary>
public sealed record SeedWebinar(string Slug, Guid Id, string Topic, Instant Start, Guid Alice, Guid Bob, Guid Carol);

public static class PublishingFixture
{
    /// <summary>The moment Alice's question was answered: 25 minutes in.</summary>
    public static readonly Duration AnsweredAfter = Duration.FromMinutes(25);

    /// <summary>
    /// Creates the seed's webinar (as the demo data has it) in a new topic: Alice attended and had a question answered,
    /// Bob was confirmed but absent, Carol cancelled; a second question was never answered.
    /// </summary>
    public static async Task<SeedWebinar> CreateAsync(
        WebinarsApp app, string questionText = "Will Track 2 diplomacy ever be conducted as before the pandemic?", string? topicName = null)
    {
        var staff = await app.CreateStaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff, topicName);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebinarsDbContext>();
        var service = scope.ServiceProvider.GetRequiredService<WebinarService>();
        var topicId = (await db.Topics.SingleAsync(t => t.Slug == topic)).Id;
        var webinar = await service.CreateAsync(DemoData.PastWebinar(), topicId, "test", default);
        await service.AnnounceAsync(webinar, "test", default);

        var now = app.Clock.GetCurrentInstant();
        Registration Person(string name, RegistrationStatus status) => new()
        {
            WebinarId = webinar.Id,
            Name = name,
            Email = $"{name.ToLowerInvariant()}-{Guid.NewGuid():N}@example.org",
            TimeZoneId = "Europe/Paris",
            AccessTokenHash = Guid.NewGuid().ToString("N"),
            Status = status,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var alice = Person("Alice", RegistrationStatus.Confirmed);
        var bob = Person("Bob", RegistrationStatus.Confirmed);
        var carol = Person("Carol", RegistrationStatus.Cancelled);
        db.Registrations.AddRange(alice, bob, carol);
        db.Attendances.Add(new Attendance { RegistrationId = alice.Id, WebinarId = webinar.Id, FirstSeenAt = webinar.StartsAt, LastSeenAt = webinar.EndsAt, Minutes = 60 });
        db.Questions.Add(new Question
        {
            WebinarId = webinar.Id,
            AuthorRegistrationId = alice.Id,
            AuthorName = "Alice",
            Text = questionText,
            Status = QuestionStatus.Answered,
            ClientRequestId = Guid.NewGuid().ToString(),
            AskedAt = webinar.StartsAt + Duration.FromMinutes(10),
            AnsweredAt = webinar.StartsAt + AnsweredAfter,
            Answer = "Blended formats are here to stay.",
            UpdatedAt = now,
        });
        db.Questions.Add(new Question
        {
            WebinarId = webinar.Id,
            AuthorRegistrationId = bob.Id,
            AuthorName = "Bob",
            Anonymous = true,
            Text = "Why has the pandemic divided rather than united?",
            Status = QuestionStatus.Approved,
            ClientRequestId = Guid.NewGuid().ToString(),
            AskedAt = webinar.StartsAt + Duration.FromMinutes(20),
            UpdatedAt = now,
        });
        await db.SaveChangesAsync();
        return new SeedWebinar(webinar.Slug, webinar.Id, topic, webinar.StartsAt, alice.Id, bob.Id, carol.Id);
    }
}

using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Webinars.Data;
using Webinars.Email;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Registrations;

/// <summary>
/// What the registration flow asked the notifier to send (our own interface, so a fake is fair). On PostgreSQL a new
/// registration's first message is queued by the same statement that inserts it, without the notifier: those are read
/// from the real outbox (<see cref="OutboxArrivals"/>) and come first, as nothing can precede a registration's arrival.
/// </summary>
public sealed class RecordingNotifier : IRegistrationNotifier
{
    public sealed record Message(string Kind, Guid RegistrationId, string Email, string? Token);

    public ConcurrentQueue<Message> Sent { get; } = new();

    /// <summary>Set by apps whose registrations can bypass the notifier: the arrival messages in the outbox.</summary>
    public Func<IReadOnlyList<Message>>? OutboxArrivals { get; set; }

    public IReadOnlyList<Message> To(string email)
    {
        var recorded = Sent.Where(m => m.Email == email).ToList();
        var arrivals = (OutboxArrivals?.Invoke() ?? []).Where(m => m.Email == email && !recorded.Any(r => r.Token == m.Token));
        return [.. arrivals, .. recorded];
    }

    public string LastToken(string email) => To(email).Last(m => m.Token is not null).Token!;

    public void Confirmed(WebinarsDbContext db, Registration registration, string accessToken) => Record(db, nameof(Confirmed), registration, accessToken);
    public void Waitlisted(WebinarsDbContext db, Registration registration, string accessToken) => Record(db, nameof(Waitlisted), registration, accessToken);
    public void PendingApproval(WebinarsDbContext db, Registration registration, string accessToken) => Record(db, nameof(PendingApproval), registration, accessToken);
    public void Promoted(WebinarsDbContext db, Registration registration, string accessToken) => Record(db, nameof(Promoted), registration, accessToken);
    public void Declined(WebinarsDbContext db, Registration registration) => Record(db, nameof(Declined), registration, null);
    public void Cancelled(WebinarsDbContext db, Registration registration) => Record(db, nameof(Cancelled), registration, null);
    public void LinkResent(WebinarsDbContext db, Registration registration, string accessToken) => Record(db, nameof(LinkResent), registration, accessToken);
    public void PaymentPending(WebinarsDbContext db, Registration registration, string accessToken) => Record(db, nameof(PaymentPending), registration, accessToken);
    public void SeatOffered(WebinarsDbContext db, Registration registration, string accessToken) => Record(db, nameof(SeatOffered), registration, accessToken);

    /// <summary>Like the real outbox, a message counts only once the change it belongs to is saved.</summary>
    private void Record(WebinarsDbContext db, string kind, Registration registration, string? token)
    {
        var message = new Message(kind, registration.Id, registration.Email, token);
        EventHandler<SavedChangesEventArgs>? saved = null;
        EventHandler<SaveChangesFailedEventArgs>? failed = null;
        saved = (_, _) =>
        {
            Sent.Enqueue(message);
            Unhook();
        };
        failed = (_, _) => Unhook();
        db.SavedChanges += saved;
        db.SaveChangesFailed += failed;

        void Unhook()
        {
            db.SavedChanges -= saved;
            db.SaveChangesFailed -= failed;
        }
    }
}

internal static class RegistrationHost
{
    public static void UseRecordingNotifier(IWebHostBuilder builder, RecordingNotifier notifier)
    {
        builder.ConfigureServices(s =>
        {
            s.RemoveAll<IRegistrationNotifier>();
            s.AddSingleton<IRegistrationNotifier>(notifier);
        });
        // The rush makes hundreds of expected unique violations; logging each one would dominate the run time.
        builder.ConfigureLogging(l => l.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Critical));
    }
}

public class SqliteRegistrationsApp : SqliteApp
{
    public RecordingNotifier Notifier { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        RegistrationHost.UseRecordingNotifier(builder, Notifier);
    }
}

public class PostgresRegistrationsApp : PostgresApp
{
    private static readonly Dictionary<string, string> ArrivalNames = new()
    {
        [MessageKinds.Confirmation] = nameof(RecordingNotifier.Confirmed),
        [MessageKinds.Waitlisted] = nameof(RecordingNotifier.Waitlisted),
        [MessageKinds.PendingApproval] = nameof(RecordingNotifier.PendingApproval),
    };

    public PostgresRegistrationsApp() => Notifier.OutboxArrivals = () =>
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<WebinarsDbContext>();
        var kinds = ArrivalNames.Keys.ToList();
        return db.OutboxMessages().AsNoTracking().Where(m => kinds.Contains(m.Kind)).OrderBy(m => m.CreatedAt).ToList()
            .Select(m => new RecordingNotifier.Message(ArrivalNames[m.Kind], m.RegistrationId!.Value, m.To, m.AccessToken)).ToList();
    };

    public RecordingNotifier Notifier { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        RegistrationHost.UseRecordingNotifier(builder, Notifier);
    }
}

/// <summary>The naive count-then-insert instead of the seat guard: the concurrency test must see it oversell.</summary>
public sealed class SqliteUnsafeSeatsApp : SqliteRegistrationsApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        NaiveSeatGuard.Use(builder);
    }
}

public sealed class PostgresUnsafeSeatsApp : PostgresRegistrationsApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        NaiveSeatGuard.Use(builder);
    }
}

public sealed class SqliteRateLimitedApp : SqliteRegistrationsApp
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimiting:Enabled"] = "true" };
}

internal static class Registering
{
    public static object Person(string email, string name = "Ada Lovelace", string organization = "Analytical Society", string timeZone = "Europe/London", object? answers = null) =>
        new { name, email, organization, timeZone, answers };

    /// <summary>An announced webinar with the given tweaks to the default body; returns its slug.</summary>
    public static async Task<string> WebinarAsync(HttpClient staff, Action<Dictionary<string, object?>>? tweak = null, bool announce = true)
    {
        var body = TestData.WebinarBody(await TestData.CreateTopicAsync(staff), title: $"Webinar {Guid.NewGuid():N}");
        tweak?.Invoke(body);
        return await TestData.CreateWebinarAsync(staff, body, announce);
    }

    public static async Task<JsonElement> RegisterOkAsync(HttpClient client, string slug, object person)
    {
        var response = await client.PostAsJsonAsync($"/api/webinars/{slug}/registrations", person);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static HttpClient Attendee(WebinarsApp app, string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<List<Registration>> RowsAsync(WebinarsApp app, string slug)
    {
        List<Registration> rows = [];
        await app.WithDbAsync(async db => rows = await db.Registrations.AsNoTracking().Where(r => r.Webinar.Slug == slug).ToListAsync());
        return rows;
    }

    public static async Task<int> SeatsTakenAsync(WebinarsApp app, string slug)
    {
        var seats = 0;
        await app.WithDbAsync(async db => seats = await db.Webinars.Where(w => w.Slug == slug).Select(w => w.SeatsTaken).FirstAsync());
        return seats;
    }
}

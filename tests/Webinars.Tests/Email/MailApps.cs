using System.Security.Cryptography;
using System.Text;
using Ical.Net;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Webinars.Data;
using Webinars.Email;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Email;

/// <summary>Settings that point the app at an SMTP sink, with the background loop off so tests dispatch explicitly.</summary>
public static class MailSettings
{
    public const string BaseUrl = "https://webinars.example.org";

    public static Dictionary<string, string?> For(SmtpSink smtp, bool background = false) => For(smtp.Port, background);

    public static Dictionary<string, string?> For(int smtpPort, bool background = false) => new()
    {
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:BackgroundDispatch"] = background ? "true" : "false",
        ["Email:DispatchIntervalSeconds"] = "1",
        ["Site:BaseUrl"] = BaseUrl,
    };
}

public sealed class SmtpSqliteApp : SqliteApp
{
    public SmtpSink Smtp { get; } = new();

    protected override IDictionary<string, string?> Settings => MailSettings.For(Smtp);

    public override async Task InitializeAsync()
    {
        await Smtp.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class SmtpPostgresApp : PostgresApp
{
    public SmtpSink Smtp { get; } = new();

    protected override IDictionary<string, string?> Settings => MailSettings.For(Smtp);

    public override async Task InitializeAsync()
    {
        await Smtp.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>An app made inside one test (own clock, own settings); several may share one PostgreSQL database.</summary>
public sealed class MailApp(DatabaseProvider provider, string connectionString, Dictionary<string, string?> settings, Func<Task>? cleanup = null) : WebinarsApp
{
    public override DatabaseProvider Provider => provider;

    protected override string ConnectionString => connectionString;

    protected override IDictionary<string, string?> Settings => settings;

    /// <summary>A fresh database that the app deletes when disposed.</summary>
    public static async Task<MailApp> CreateAsync(DatabaseProvider provider, Dictionary<string, string?> settings)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var file = Path.Combine(Path.GetTempPath(), $"webinars-mail-{Guid.NewGuid():N}.db");
            return new(provider, $"Data Source={file}", settings, () =>
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
                return Task.CompletedTask;
            });
        }

        var database = $"webinars_mail_{Guid.NewGuid():N}";
        await TestPostgres.CreateDatabaseAsync(database);
        return new(provider, TestPostgres.ConnectionStringFor(database), settings, () => TestPostgres.DropDatabaseAsync(database));
    }

    /// <summary>A second instance on the database of <paramref name="first"/> (PostgreSQL), which owns the database.</summary>
    public static MailApp SharingWith(MailApp first, Dictionary<string, string?> settings) => new(first.Provider, first.ConnectionString, settings);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (cleanup is not null) await cleanup();
    }

    /// <summary>Runs <paramref name="test"/> against a fresh app and deletes its database afterwards.</summary>
    public static async Task RunAsync(DatabaseProvider provider, Dictionary<string, string?> settings, Func<MailApp, Task> test)
    {
        var app = await CreateAsync(provider, settings);
        try
        {
            await test(app);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}

public static class Mail
{
    public static OutboxDispatcher Dispatcher(this WebinarsApp app) => app.Services.GetRequiredService<OutboxDispatcher>();

    /// <summary>Dispatches until a round sends nothing.</summary>
    public static async Task<int> DrainAsync(this WebinarsApp app)
    {
        var total = 0;
        for (int sent; (sent = await app.Dispatcher().DispatchOnceAsync(CancellationToken.None)) > 0;) total += sent;
        return total;
    }

    /// <summary>Adds a registration straight to the database and calls the notifier in the same unit of work, as the flow does.</summary>
    public static async Task<Registration> RegisterAsync(this WebinarsApp app, string slug, string email, RegistrationStatus status = RegistrationStatus.Confirmed,
        string name = "Ada Lovelace", string zone = "Europe/Paris", Action<IRegistrationNotifier, WebinarsDbContext, Registration, string>? notify = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebinarsDbContext>();
        var notifier = scope.ServiceProvider.GetRequiredService<IRegistrationNotifier>();
        var webinar = db.Webinars.Single(w => w.Slug == slug);
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var now = app.Clock.GetCurrentInstant();
        var registration = new Registration
        {
            WebinarId = webinar.Id,
            Name = name,
            Email = email,
            TimeZoneId = zone,
            Status = status,
            AccessTokenHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Registrations.Add(registration);
        (notify ?? Default(status))(notifier, db, registration, token);
        await db.SaveChangesAsync();
        return registration;
    }

    private static Action<IRegistrationNotifier, WebinarsDbContext, Registration, string> Default(RegistrationStatus status) => status switch
    {
        RegistrationStatus.Confirmed => (n, db, r, t) => n.Confirmed(db, r, t),
        RegistrationStatus.Waitlisted => (n, db, r, t) => n.Waitlisted(db, r, t),
        RegistrationStatus.PendingApproval => (n, db, r, t) => n.PendingApproval(db, r, t),
        _ => SendNothing,
    };

    // Other statuses send nothing at registration.
    private static void SendNothing(IRegistrationNotifier notifier, WebinarsDbContext db, Registration registration, string token)
    {
    }

    /// <summary>Queues <paramref name="count"/> plain messages (one SaveChanges), keys <c>{tag}:{i}</c>, addresses <c>{tag}{i}@example.org</c>.</summary>
    public static async Task QueueAsync(this WebinarsApp app, string tag, int count, Func<int, string>? to = null)
    {
        await app.WithDbAsync(async db =>
        {
            for (var i = 0; i < count; i++)
            {
                var draft = new MailDraft("test", to?.Invoke(i) ?? $"{tag}{i}@example.org", $"Reader {i}", $"{tag} {i}", "text", "<p>html</p>");
                Outbox.Queue(db, draft, $"{tag}:{i}", app.Clock.GetCurrentInstant());
            }

            await db.SaveChangesAsync();
        });
    }

    public static string Email(string tag) => $"{tag}-{Guid.NewGuid():N}@example.org";

    public static Calendar Invite(this MimeMessage message)
    {
        var part = message.Attachments.OfType<MimePart>().Single(p => p.FileName == Invitations.FileName);
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return Calendar.Load(Encoding.UTF8.GetString(stream.ToArray()))!;
    }

    public static bool HasInvite(this MimeMessage message) => message.Attachments.OfType<MimePart>().Any(p => p.FileName == Invitations.FileName);
}

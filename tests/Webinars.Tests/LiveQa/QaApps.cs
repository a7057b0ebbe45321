using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Webinars.Accounts;
using Webinars.Data;
using Webinars.LiveQa;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.LiveQa;

/// <summary>The app for hub tests: the sweep runs every second so a cancelled attendee is cut off quickly.</summary>
public class SqliteQaApp : SqliteApp
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Qa:SweepSeconds"] = "1" };
}

public class PostgresQaApp : PostgresApp
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Qa:SweepSeconds"] = "1" };
}

public sealed class SqliteQaLimitedApp : SqliteQaApp
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Qa:SweepSeconds"] = "1", ["RateLimiting:Enabled"] = "true" };
}

/// <summary>One webinar live now (it starts 10 minutes after the fake clock's now), and people around it.</summary>
public sealed class QaWorld(WebinarsApp app, string slug, Guid webinarId, HttpClient staff)
{
    public WebinarsApp App => app;
    public string Slug => slug;
    public Guid WebinarId => webinarId;
    public HttpClient Staff => staff;

    public static async Task<QaWorld> CreateAsync(WebinarsApp app, bool moderated = true)
    {
        var staff = await app.CreateStaffClientAsync();
        var topic = await TestData.CreateTopicAsync(staff);
        var start = app.Clock.GetCurrentInstant().Plus(NodaTime.Duration.FromMinutes(10)).InZone(NodaTime.DateTimeZoneProviders.Tzdb["America/New_York"]).LocalDateTime;
        var slug = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(topic, $"Live {Guid.NewGuid():N}", start.ToString("yyyy-MM-ddTHH:mm:ss", null)));
        Guid id = default;
        await app.WithDbAsync(async db =>
        {
            var webinar = db.Webinars.Single(w => w.Slug == slug);
            webinar.QaModerated = moderated;
            id = webinar.Id;
            await db.SaveChangesAsync();
        });
        return new QaWorld(app, slug, id, staff);
    }

    /// <summary>A registration made straight in the database; returns its id and its access token.</summary>
    public async Task<(Guid Id, string Token)> RegisterAsync(string name, RegistrationStatus status = RegistrationStatus.Confirmed, Guid? webinarId = null)
    {
        var (token, hash) = AccessTokens.New();
        var registration = new Registration
        {
            WebinarId = webinarId ?? WebinarId,
            Name = name,
            Email = $"{Guid.NewGuid():N}@example.org",
            TimeZoneId = "Europe/Paris",
            AccessTokenHash = hash,
            Status = status,
            CreatedAt = app.Clock.GetCurrentInstant(),
        };
        await app.WithDbAsync(async db =>
        {
            db.Registrations.Add(registration);
            await db.SaveChangesAsync();
        });
        return (registration.Id, token);
    }

    public async Task<QaClient> AttendeeAsync(string name = "Ada Lovelace", bool messagePack = false)
    {
        var (_, token) = await RegisterAsync(name);
        var client = await ConnectAsync(token, messagePack);
        await client.JoinAsync(slug);
        return client;
    }

    public async Task<QaClient> ModeratorAsync(string role = Roles.Moderator, bool messagePack = false)
    {
        var http = await app.CreateClientWithRoleAsync(role);
        var client = await ConnectAsync(http.DefaultRequestHeaders.Authorization!.Parameter, messagePack);
        await client.JoinAsync(slug);
        return client;
    }

    /// <summary>A started connection (long polling, the token as Authorization: Bearer), not yet joined.</summary>
    /// <param name="presenterKey">The presenter link's key, sent as the page sends it (<c>?key=</c>).</param>
    public async Task<QaClient> ConnectAsync(string? token, bool messagePack = false, string? presenterKey = null)
    {
        var path = presenterKey is null ? "/hubs/qa" : $"/hubs/qa?key={Uri.EscapeDataString(presenterKey)}";
        var builder = new HubConnectionBuilder().WithUrl(new Uri(app.Server.BaseAddress, path), o =>
        {
            o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
            o.Transports = HttpTransportType.LongPolling;
            if (token is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
        });
        if (messagePack) builder.AddMessagePackProtocol();
        var client = new QaClient(builder.Build());
        await client.Connection.StartAsync();
        return client;
    }

    public async Task<T> InDbAsync<T>(Func<WebinarsDbContext, Task<T>> read)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<WebinarsDbContext>());
    }
}

/// <summary>A hub connection that records every event it receives.</summary>
public sealed class QaClient : IAsyncDisposable
{
    public QaClient(HubConnection connection)
    {
        Connection = connection;
        connection.On<LiveQuestion>(nameof(IQaClient.QuestionAdded), q => Events.Enqueue((nameof(IQaClient.QuestionAdded), q, null)));
        connection.On<LiveQuestion>(nameof(IQaClient.QuestionChanged), q => Events.Enqueue((nameof(IQaClient.QuestionChanged), q, null)));
        connection.On<VoteCount[]>(nameof(IQaClient.VotesChanged), v => Events.Enqueue((nameof(IQaClient.VotesChanged), null, v)));
        connection.On<string>(nameof(IQaClient.QuestionRemoved), id => Events.Enqueue((nameof(IQaClient.QuestionRemoved) + ":" + id, null, null)));
    }

    public HubConnection Connection { get; }

    public ConcurrentQueue<(string Kind, LiveQuestion? Question, VoteCount[]? Votes)> Events { get; } = new();

    public IEnumerable<LiveQuestion> Questions => Events.Where(e => e.Question is not null).Select(e => e.Question!);

    public Task<LiveQuestion[]> JoinAsync(string slug) => Connection.InvokeAsync<LiveQuestion[]>("Join", slug);

    public Task<LiveQuestion> AskAsync(string text, bool anonymous = false, string? requestId = null) =>
        Connection.InvokeAsync<LiveQuestion>("Ask", requestId ?? Guid.NewGuid().ToString(), text, anonymous);

    public Task<LiveQuestion> CallAsync(string method, params object?[] args) => Connection.InvokeCoreAsync<LiveQuestion>(method, args);

    /// <summary>Waits (generously) until something received satisfies the condition.</summary>
    public async Task WaitForAsync(Func<QaClient, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition(this))
        {
            if (timeout.IsCancellationRequested) throw new TimeoutException($"Waited 30 s for {what}; received: {string.Join(", ", Events.Select(e => e.Kind))}");
            await Task.Delay(20);
        }
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Webinars.Tests.Infrastructure;
using Webinars.Tests.LiveQa;
using Webinars.Time;
using Webinars.Webinars;

namespace Webinars.Tests.Caching;

/// <summary>
/// Kept reads (announcement, lists, JSON, feeds, calendars) show every change on the next read, never one reader's page
/// to another, and answer 304 to a current copy; once per database.
/// </summary>
public abstract class ReadCacheTests(WebinarsApp app)
{
    private static readonly Instant NewYorkJan12 = Instant.FromUtc(2027, 1, 12, 14, 0);

    [Fact]
    public async Task AnnouncementPage_ReadTwice_SecondComesFromTheCache()
    {
        var (_, slug) = await CreateAsync();

        var first = await app.CreateClient().GetAsync($"/webinars/{slug}");
        var second = await app.CreateClient().GetAsync($"/webinars/{slug}");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Null(first.Headers.Age);
        Assert.NotNull(second.Headers.Age); // the output cache answered
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.True(second.Headers.CacheControl!.Public);
    }

    [Fact]
    public async Task EveryRead_AfterAnEdit_ShowsTheNewTitle()
    {
        var (staff, slug) = await CreateAsync();
        var topic = await TopicOfAsync(slug);
        await ReadAllAsync(slug, topic); // kept

        var body = TestData.WebinarBody(topic, "Renamed After Keeping");
        (await staff.PutAsJsonAsync($"/api/webinars/{slug}", body)).EnsureSuccessStatusCode();

        foreach (var (path, text) in await ReadAllAsync(slug, topic)) Assert.True(text.Contains("Renamed After Keeping", StringComparison.Ordinal), path);
    }

    [Fact]
    public async Task PageJsonAndCalendar_AfterAReschedule_ShowTheNewTime()
    {
        var (staff, slug) = await CreateAsync();
        var topic = await TopicOfAsync(slug);
        await ReadAllAsync(slug, topic);

        var body = TestData.WebinarBody(topic, localStart: "2027-01-13T11:00:00");
        (await staff.PutAsJsonAsync($"/api/webinars/{slug}", body)).EnsureSuccessStatusCode();

        var paris = TimeText.For(Instant.FromUtc(2027, 1, 13, 16, 0), Duration.FromMinutes(60), DateTimeZoneProviders.Tzdb["Europe/Paris"]).Text;
        Assert.Contains(paris, await PageAsync($"/webinars/{slug}"));
        Assert.Equal("2027-01-13T16:00:00Z", (await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}")).GetProperty("startUtc").GetString());
        Assert.Contains("DTSTART;TZID=America/New_York:20270113T110000", await PageAsync($"/webinars/{slug}.ics"));
    }

    [Fact]
    public async Task PageAndCalendar_AfterCancelling_ShowItCancelled()
    {
        var (staff, slug) = await CreateAsync();
        await PageAsync($"/webinars/{slug}");
        await PageAsync($"/webinars/{slug}.ics");

        (await staff.PostAsync($"/api/webinars/{slug}/cancel", null)).EnsureSuccessStatusCode();

        Assert.Contains("<strong>Cancelled.</strong>", await PageAsync($"/webinars/{slug}"));
        Assert.Contains("METHOD:CANCEL", await PageAsync($"/webinars/{slug}.ics"));
    }

    [Fact]
    public async Task PageAndJson_AfterARegistrationTakesTheLastSeat_SayFull()
    {
        var (_, slug) = await CreateAsync(capacity: 1);
        Assert.Contains("1 seat left.", await PageAsync($"/webinars/{slug}"));
        Assert.Equal(1, (await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}")).GetProperty("seatsLeft").GetInt32());

        var registered = await app.CreateClient().PostAsJsonAsync($"/api/webinars/{slug}/registrations",
            new { name = "Last Seat", email = $"last-{Guid.NewGuid():N}@example.org", timeZone = "Europe/Paris" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);

        Assert.Contains("Full — waitlist open", await PageAsync($"/webinars/{slug}"));
        Assert.Equal(0, (await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}")).GetProperty("seatsLeft").GetInt32());
    }

    [Fact]
    public async Task Page_AfterTheTzDatabaseRecomputationMovesIt_ShowsTheNewInstant()
    {
        var (_, slug) = await CreateAsync();
        // As if an older time-zone database had put 9:00 New York an hour off: the stored instant is wrong, and kept.
        await app.WithDbAsync(db => db.Webinars.Where(w => w.Slug == slug)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.StartsAt, NewYorkJan12 + Duration.FromHours(1)).SetProperty(w => w.EndsAt, NewYorkJan12 + Duration.FromHours(2))));
        var stale = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}");
        Assert.Equal("2027-01-12T15:00:00Z", stale.GetProperty("startUtc").GetString());

        Assert.True(await app.Services.GetServices<IHostedService>().OfType<ScheduleRecomputation>().Single().RecomputeAsync(CancellationToken.None) >= 1);

        Assert.Equal("2027-01-12T14:00:00Z", (await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/webinars/{slug}")).GetProperty("startUtc").GetString());
    }

    [Fact]
    public async Task StaffAndAnonymousReaders_NeverGetEachOthersResponse()
    {
        var (staff, slug) = await CreateAsync();

        var anonymousFirst = await app.CreateClient().GetAsync($"/api/webinars/{slug}");
        var forStaff = await staff.GetAsync($"/api/webinars/{slug}");
        var anonymousAfter = await app.CreateClient().GetAsync($"/api/webinars/{slug}");

        Assert.Equal("https://meet.example.org/trust", (await forStaff.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("joinUrl").GetString());
        Assert.True(forStaff.Headers.CacheControl!.NoStore);
        Assert.True(forStaff.Headers.CacheControl.Private);
        Assert.Null(forStaff.Headers.Age);
        foreach (var anonymous in new[] { anonymousFirst, anonymousAfter })
        {
            Assert.DoesNotContain("meet.example.org", await anonymous.Content.ReadAsStringAsync());
            Assert.True(anonymous.Headers.CacheControl!.Public);
        }

        var draft = await TestData.CreateWebinarAsync(staff, TestData.WebinarBody(await TopicOfAsync(slug), "Draft Kept Apart"), announce: false);
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/webinars/{draft}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync($"/webinars/{draft}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/webinars/{draft}")).StatusCode);
    }

    [Fact]
    public async Task ReaderInTokyo_AfterAReaderInParis_GetsTokyosYourTime()
    {
        var (_, slug) = await CreateAsync();
        var tokyo = TimeText.For(NewYorkJan12, Duration.FromMinutes(60), DateTimeZoneProviders.Tzdb["Asia/Tokyo"]).Text;
        var paris = TimeText.For(NewYorkJan12, Duration.FromMinutes(60), DateTimeZoneProviders.Tzdb["Europe/Paris"]).Text;

        var forParis = await PageAsync($"/webinars/{slug}", "Europe/Paris");
        var forTokyo = await PageAsync($"/webinars/{slug}", "Asia/Tokyo");
        var forParisAgain = await PageAsync($"/webinars/{slug}", "Europe/Paris");

        Assert.Contains($"{paris} (Europe/Paris)", forParis);
        Assert.Contains($"{tokyo} (Asia/Tokyo)", forTokyo);
        Assert.DoesNotContain("(Europe/Paris)</span>", forTokyo);
        Assert.Contains($"{paris} (Europe/Paris)", forParisAgain);
        Assert.DoesNotContain("Asia/Tokyo", forParisAgain);
    }

    [Theory]
    [InlineData("/webinars/{slug}")]
    [InlineData("/api/webinars/{slug}")]
    [InlineData("/webinars/{slug}.ics")]
    [InlineData("/topics/{topic}/feed.rss")]
    [InlineData("/topics/{topic}/calendar.ics")]
    [InlineData("/topics/{topic}")]
    [InlineData("/")]
    public async Task Read_WithIfNoneMatchOfTheCurrentCopy_Answers304(string template)
    {
        var (_, slug) = await CreateAsync();
        var path = template.Replace("{slug}", slug, StringComparison.Ordinal).Replace("{topic}", await TopicOfAsync(slug), StringComparison.Ordinal);
        var first = await app.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);

        foreach (var attempt in new[] { 1, 2 }) // rendered, then from the cache
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.IfNoneMatch.Add(etag);
            var again = await app.CreateClient().SendAsync(request);
            Assert.True(again.StatusCode == HttpStatusCode.NotModified, $"{path}, attempt {attempt}: {again.StatusCode}");
            Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Page_AskedForBrotli_IsCompressedWithItsOwnETag()
    {
        var (_, slug) = await CreateAsync();

        using var brotli = new HttpRequestMessage(HttpMethod.Get, $"/webinars/{slug}");
        brotli.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        var compressed = await app.CreateClient().SendAsync(brotli);
        var plain = await app.CreateClient().GetAsync($"/webinars/{slug}");

        Assert.Equal("br", Assert.Single(compressed.Content.Headers.ContentEncoding));
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.NotEqual(compressed.Headers.ETag, plain.Headers.ETag);
        Assert.True((await compressed.Content.ReadAsByteArrayAsync()).Length < (await plain.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task RegistrationCard_ForANewReader_IsTheFormAndNeverKept()
    {
        var (_, slug) = await CreateAsync();

        var page = await PageAsync($"/webinars/{slug}");
        var card = await app.CreateClient().GetAsync($"/webinars/{slug}/register?handler=Card");
        var html = await card.Content.ReadAsStringAsync();

        Assert.Contains($"data-card=\"/webinars/{slug}/register?handler=Card\"", page);
        Assert.DoesNotContain("__RequestVerificationToken", page);
        Assert.Contains("name=\"__RequestVerificationToken\"", html);
        Assert.Contains("<form method=\"post\"", html);
        Assert.True(card.Headers.CacheControl!.NoStore);
    }

    [Fact]
    public async Task RegistrationCard_OnADeviceThatOpenedItsLink_SaysRegistered()
    {
        var world = await QaWorld.CreateAsync(app);
        var (_, token) = await world.RegisterAsync("Ada Lovelace");
        var device = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal(HttpStatusCode.Redirect, (await device.GetAsync($"/r/{token}")).StatusCode);

        var card = await (await device.GetAsync($"/webinars/{world.Slug}/register?handler=Card")).Content.ReadAsStringAsync();
        var someoneElse = await (await app.CreateClient().GetAsync($"/webinars/{world.Slug}/register?handler=Card")).Content.ReadAsStringAsync();

        Assert.Contains("You're registered ✓", System.Net.WebUtility.HtmlDecode(card));
        Assert.Contains($"href=\"/webinars/{world.Slug}/manage\"", card);
        Assert.Contains($"href=\"/webinars/{world.Slug}/live\"", card);
        Assert.DoesNotContain("<form", card);
        Assert.Contains("<form method=\"post\"", someoneElse);
    }

    [Fact]
    public async Task StaticFile_WithItsVersion_IsImmutable()
    {
        var response = await app.CreateClient().GetAsync("/js/registration.js?v=abc");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("immutable", response.Headers.CacheControl!.Extensions.Select(e => e.Name));
    }

    private async Task<(HttpClient Staff, string Slug)> CreateAsync(int capacity = 100)
    {
        var staff = await app.CreateStaffClientAsync();
        var body = TestData.WebinarBody(await TestData.CreateTopicAsync(staff), $"Kept {Guid.NewGuid():N}");
        body["capacity"] = capacity;
        return (staff, await TestData.CreateWebinarAsync(staff, body));
    }

    private async Task<string> TopicOfAsync(string slug)
    {
        string topic = "";
        await app.WithDbAsync(async db => topic = await db.Webinars.Where(w => w.Slug == slug).Select(w => w.Topic.Slug).SingleAsync());
        return topic;
    }

    /// <summary>Reads (and so keeps) every public read that shows the webinar.</summary>
    private async Task<List<(string Path, string Text)>> ReadAllAsync(string slug, string topic)
    {
        var reads = new List<(string, string)>();
        foreach (var path in new[] { $"/webinars/{slug}", $"/api/webinars/{slug}", $"/webinars/{slug}.ics", $"/topics/{topic}", $"/topics/{topic}/feed.rss", $"/topics/{topic}/feed.atom", $"/topics/{topic}/calendar.ics", "/", "/api/webinars", "/feed.rss" })
        {
            reads.Add((path, await PageAsync(path)));
        }

        return reads;
    }

    private async Task<string> PageAsync(string path, string? tzCookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (tzCookie is not null) request.Headers.Add("Cookie", $"tz={tzCookie}");
        var response = await app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false }).SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
        return System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }
}

public sealed class SqliteReadCacheTests(SqliteQaApp app) : ReadCacheTests(app), IClassFixture<SqliteQaApp>;

public sealed class PostgresReadCacheTests(PostgresQaApp app) : ReadCacheTests(app), IClassFixture<PostgresQaApp>;

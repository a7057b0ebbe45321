using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Pages.Staff;

/// <summary>The staff topic pages (list, new, edit) over HTTP, through TopicService like the API; once per database.</summary>
public abstract class TopicPagesTests(WebinarsApp app)
{
    [Fact]
    public async Task New_ValidName_ListsItWithANoticeAndCreateAWebinarHere()
    {
        var staff = await StaffForms.CreateClientAsync(app);
        var name = $"Maritime Law {Guid.NewGuid():N}";

        var response = await StaffForms.PostAsync(staff, "/staff/topics/new", [new("Name", name), new("Description", "Seas.")]);

        var html = await StaffForms.TextAsync(response);
        var slug = response.RequestMessage!.RequestUri!.Query["?created=".Length..];
        Assert.Equal("/staff/topics", response.RequestMessage.RequestUri.AbsolutePath);
        Assert.Contains($"Topic “{name}” is created.", html);
        Assert.Contains($"href=\"/staff/webinars/new?topic={slug}\">Create a webinar in it</a>", html);
        Assert.Contains($"href=\"/staff/topics/{slug}/edit\"", html);
    }

    [Fact]
    public async Task New_NameOfAnExistingTopic_WarnsAndCreatesOnlyWhenConfirmed()
    {
        var staff = await StaffForms.CreateClientAsync(app);
        var name = $"Space Security {Guid.NewGuid():N}";
        var existing = await TestData.CreateTopicAsync(staff, name);

        var warned = await StaffForms.PostAsync(staff, "/staff/topics/new", [new("Name", " " + name.ToUpperInvariant())]);
        var before = await CountAsync();
        var confirmed = await StaffForms.PostAsync(staff, "/staff/topics/new", [new("Name", name), new("AllowSameName", "true")]);

        Assert.Equal(HttpStatusCode.Conflict, warned.StatusCode);
        Assert.Contains($"A topic named “{name}” already exists (<a href=\"/topics/{existing}\">", await StaffForms.TextAsync(warned));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(before + 1, await CountAsync());
        Assert.EndsWith($"?created={existing}-2", confirmed.RequestMessage!.RequestUri!.Query);
    }

    [Fact]
    public async Task New_MissingName_Returns400NamingTheFieldAndCreatesNothing()
    {
        var staff = await StaffForms.CreateClientAsync(app);
        var before = await CountAsync();

        var response = await StaffForms.PostAsync(staff, "/staff/topics/new", [new("Name", "  "), new("Description", "x")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await StaffForms.TextAsync(response);
        Assert.Contains("id=\"name-error\">Name is required.", html);
        Assert.Contains("aria-invalid=\"true\" aria-describedby=\"name-error\"", html);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task New_SameNameAtOnce_EachGetsItsOwnSlugWithoutAnError()
    {
        var staff = await StaffForms.CreateClientAsync(app);
        var name = $"Rush {Guid.NewGuid():N}";
        (await staff.GetAsync("/staff/topics/new")).EnsureSuccessStatusCode(); // one antiforgery cookie for all the posts

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            StaffForms.PostAsync(staff, "/staff/topics/new", [new("Name", name), new("AllowSameName", "true")])));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(8, responses.Select(r => r.RequestMessage!.RequestUri!.Query).Distinct().Count());
    }

    [Fact]
    public async Task Edit_NewNameAndDescription_SavesThemAndKeepsTheSlug()
    {
        var staff = await StaffForms.CreateClientAsync(app);
        var slug = await TestData.CreateTopicAsync(staff, $"Old Name {Guid.NewGuid():N}");
        var name = $"New Name {Guid.NewGuid():N}";

        var response = await StaffForms.PostAsync(staff, $"/staff/topics/{slug}/edit", [new("Name", name), new("Description", "Now *better*.")]);

        Assert.Contains($"Topic “{name}” is saved.", await StaffForms.TextAsync(response));
        var topic = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/topics/{slug}");
        Assert.Equal(name, topic.GetProperty("name").GetString());
        Assert.Contains("<em>better</em>", topic.GetProperty("descriptionHtml").GetString());
    }

    [Fact]
    public async Task Edit_UnknownTopic_Returns404()
    {
        var staff = await StaffForms.CreateClientAsync(app);

        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync("/staff/topics/no-such-topic/edit")).StatusCode);
    }

    private async Task<int> CountAsync()
    {
        var count = 0;
        await app.WithDbAsync(async db => count = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Topics));
        return count;
    }
}

public sealed class SqliteTopicPagesTests(SqliteApp app) : TopicPagesTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresTopicPagesTests(PostgresApp app) : TopicPagesTests(app), IClassFixture<PostgresApp>;

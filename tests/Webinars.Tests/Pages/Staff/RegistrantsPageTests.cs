using System.Net;
using Webinars.Registrations;
using Webinars.Tests.Infrastructure;
using static Webinars.Tests.Registrations.Registering;

namespace Webinars.Tests.Pages.Staff;

/// <summary>/staff/webinars/{slug}/registrants over HTTP: its actions go through RegistrantService, like the API's; once per database.</summary>
public abstract class RegistrantsPageTests(WebinarsApp app)
{
    private static string NewEmail() => $"p-{Guid.NewGuid():N}@example.org";

    [Fact]
    public async Task Cancel_RegistrantOfAnotherWebinar_Returns404AndChangesNothing()
    {
        var staff = await StaffForms.CreateClientAsync(app);
        var mine = await WebinarAsync(staff);
        var other = await WebinarAsync(staff);
        var theirs = await RegisterOkAsync(app.CreateClient(), other, Person(NewEmail()));
        var id = (await RowsAsync(app, other)).Single().Id;

        var response = await StaffForms.PostAsync(staff, Page(mine), [], $"{Page(mine)}?handler=Cancel&id={id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(RegistrationStatus.Confirmed, (await RowsAsync(app, other)).Single().Status);
        Assert.Equal(1, await SeatsTakenAsync(app, other));
        Assert.Equal("Confirmed", theirs.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Resend_RegistrantOfAnotherWebinar_Returns404()
    {
        var staff = await StaffForms.CreateClientAsync(app);
        var mine = await WebinarAsync(staff);
        var other = await WebinarAsync(staff);
        await RegisterOkAsync(app.CreateClient(), other, Person(NewEmail()));
        var id = (await RowsAsync(app, other)).Single().Id;

        var response = await StaffForms.PostAsync(staff, Page(mine), [], $"{Page(mine)}?handler=Resend&id={id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Cancel_ConfirmedWithAWaitlist_NoticeNamesThePersonAndWhoMovedUp()
    {
        var staff = await StaffForms.CreateClientAsync(app);
        var slug = await WebinarAsync(staff, b => b["capacity"] = 1);
        await RegisterOkAsync(app.CreateClient(), slug, Person(NewEmail(), name: "Grace Hopper"));
        app.Clock.AdvanceSeconds(1);
        await RegisterOkAsync(app.CreateClient(), slug, Person(NewEmail(), name: "Alan Turing"));
        var grace = (await RowsAsync(app, slug)).Single(r => r.Name == "Grace Hopper");

        var html = await StaffForms.TextAsync(await StaffForms.PostAsync(staff, Page(slug), [], $"{Page(slug)}?handler=Cancel&id={grace.Id}"));

        Assert.Contains($"Grace Hopper ({grace.Email}) is cancelled and emailed. Alan Turing", html);
        Assert.Contains("moved up from the waitlist and is confirmed.", html);
        Assert.Equal(RegistrationStatus.Confirmed, (await RowsAsync(app, slug)).Single(r => r.Name == "Alan Turing").Status);
    }

    [Fact]
    public async Task Approve_NothingTicked_SaysSoInsteadOfCountingZero()
    {
        var staff = await StaffForms.CreateClientAsync(app);
        var slug = await WebinarAsync(staff, b => b["requiresApproval"] = true);

        var html = await StaffForms.TextAsync(await StaffForms.PostAsync(staff, Page(slug), [], $"{Page(slug)}?handler=Approve"));

        Assert.Contains("Nothing to approve: tick the people first.", html);
        Assert.DoesNotContain("0 of 0", html);
    }

    [Fact]
    public async Task Approve_OnePendingOneConfirmed_CountsWhatWasApprovedAndWhatWasSkipped()
    {
        var staff = await StaffForms.CreateClientAsync(app);
        var slug = await WebinarAsync(staff, b => b["requiresApproval"] = true);
        await RegisterOkAsync(app.CreateClient(), slug, Person(NewEmail(), name: "Pending Person"));
        var pending = (await RowsAsync(app, slug)).Single();
        var html = await StaffForms.TextAsync(await StaffForms.PostAsync(staff, Page(slug), [new("ids", pending.Id.ToString())], $"{Page(slug)}?handler=Approve"));
        Assert.Contains("1 registration approved.", html);

        var again = await StaffForms.TextAsync(await StaffForms.PostAsync(staff, Page(slug), [new("ids", pending.Id.ToString())], $"{Page(slug)}?handler=Approve"));

        Assert.Contains("0 registrations approved. 1 registration skipped: not awaiting approval, or the webinar is full.", again);
    }

    [Fact]
    public async Task Page_ApprovalOff_HasNoApproveOrDeclineAndReadableStatusesWithZones()
    {
        var staff = await StaffForms.CreateClientAsync(app);
        var slug = await WebinarAsync(staff);
        await RegisterOkAsync(app.CreateClient(), slug, Person(NewEmail(), name: "Ada Lovelace"));

        var html = await StaffForms.TextAsync(await staff.GetAsync(Page(slug)));

        Assert.DoesNotContain("Approve selected", html);
        Assert.DoesNotContain("Decline selected", html);
        Assert.DoesNotContain("type=\"checkbox\"", html);
        Assert.Contains("<td class=\"status\">Confirmed</td>", html);
        Assert.Contains("Registered (America/New_York)", html);
        Assert.Matches(@"Nov 29, 2026, 7:00 AM EST", html); // the test clock's noon UTC, in the webinar's zone
        Assert.Contains("data-confirm=\"Cancel Ada Lovelace’s registration?", html);
    }

    [Fact]
    public async Task Page_ApprovalOn_OffersApproveAndDeclineAndLabelsEachCheckbox()
    {
        var staff = await StaffForms.CreateClientAsync(app);
        var slug = await WebinarAsync(staff, b => b["requiresApproval"] = true);
        await RegisterOkAsync(app.CreateClient(), slug, Person(NewEmail(), name: "Ada Lovelace"));

        var html = await StaffForms.TextAsync(await staff.GetAsync(Page(slug)));

        Assert.Contains("Approve selected", html);
        Assert.Contains("<span class=\"visually-hidden\">Select Ada Lovelace</span>", html);
        Assert.Contains("Awaiting approval", html);
    }

    [Fact]
    public async Task StaffList_AnnouncedWebinar_ShowsSeatsAndWaitlist()
    {
        var staff = await StaffForms.CreateClientAsync(app);
        var slug = await WebinarAsync(staff, b => b["capacity"] = 1);
        await RegisterOkAsync(app.CreateClient(), slug, Person(NewEmail()));
        await RegisterOkAsync(app.CreateClient(), slug, Person(NewEmail()));

        var html = await StaffForms.TextAsync(await staff.GetAsync("/staff"));

        var item = html[html.IndexOf($"data-slug=\"{slug}\"", StringComparison.Ordinal)..];
        Assert.Contains("1 of 1 seats taken · 1 waitlisted", item[..item.IndexOf("</li>", StringComparison.Ordinal)]);
    }

    [Fact]
    public async Task StaffList_EndedWebinar_OffersNoCancel()
    {
        var staff = await StaffForms.CreateClientAsync(app);
        var slug = await WebinarAsync(staff, b => b["localStart"] = "2020-12-07T09:00:00");

        var html = await StaffForms.TextAsync(await staff.GetAsync("/staff"));

        var item = html[html.IndexOf($"data-slug=\"{slug}\"", StringComparison.Ordinal)..];
        Assert.DoesNotContain("Cancel webinar", item[..item.IndexOf("</li>", StringComparison.Ordinal)]);
    }

    private static string Page(string slug) => $"/staff/webinars/{slug}/registrants";
}

public sealed class SqliteRegistrantsPageTests(SqliteApp app) : RegistrantsPageTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresRegistrantsPageTests(PostgresApp app) : RegistrantsPageTests(app), IClassFixture<PostgresApp>;

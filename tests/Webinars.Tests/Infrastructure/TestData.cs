using System.Net.Http.Json;
using System.Text.Json;

namespace Webinars.Tests.Infrastructure;

public static class TestData
{
    /// <summary>A valid create/update body; tests override fields with <c>with</c>-style dictionary edits.</summary>
    public static Dictionary<string, object?> WebinarBody(string topic, string title = "Trust in a Time of Rivalry", string localStart = "2027-01-12T09:00:00") => new()
    {
        ["topic"] = topic,
        ["title"] = title,
        ["summary"] = "A **frank** discussion.",
        ["hostZone"] = "America/New_York",
        ["localStart"] = localStart,
        ["durationMinutes"] = 60,
        ["displayZones"] = new[] { "America/New_York", "Europe/Paris" },
        ["capacity"] = 100,
        ["waitlist"] = true,
        ["price"] = null,
        ["speakers"] = new object[]
        {
            new { name = "Izumi Nakamitsu", honorific = "Hon.", affiliation = "United Nations", role = "Speaker" },
            new { name = "Bruce McConnell", honorific = "", affiliation = "EastWest Institute", role = "Moderator" },
        },
        ["joinUrl"] = "https://meet.example.org/trust",
    };

    public static async Task<string> CreateTopicAsync(HttpClient staff, string? name = null)
    {
        var response = await staff.PostAsJsonAsync("/api/topics", new { name = name ?? $"Topic {Guid.NewGuid():N}", description = "About trust." });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetString()!;
    }

    /// <summary>Creates (and optionally announces) a webinar; returns its slug.</summary>
    public static async Task<string> CreateWebinarAsync(HttpClient staff, Dictionary<string, object?> body, bool announce = true)
    {
        var response = await staff.PostAsJsonAsync("/api/webinars", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var slug = JsonDocument.Parse(text).RootElement.GetProperty("slug").GetString()!;
        if (announce) (await staff.PostAsync($"/api/webinars/{slug}/announce", null)).EnsureSuccessStatusCode();
        return slug;
    }
}

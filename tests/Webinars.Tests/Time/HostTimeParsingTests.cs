using NodaTime;
using Webinars.Time;

namespace Webinars.Tests.Time;

public class HostTimeParsingTests
{
    [Theory]
    [InlineData("-04:00", -4 * 60)]
    [InlineData("+05:45", 5 * 60 + 45)]
    [InlineData("+00:00", 0)]
    [InlineData("Z", 0)]
    [InlineData("+13:45", 13 * 60 + 45)]
    public void TryParseOffset_ValidText_ReturnsOffset(string text, int minutes)
    {
        Assert.True(HostTime.TryParseOffset(text, out var offset));
        Assert.Equal(Offset.FromSeconds(minutes * 60), offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("05:45")]
    [InlineData("+5")]
    [InlineData("EST")]
    [InlineData("+25:00")]
    [InlineData("z")]
    [InlineData(" -04:00")]
    public void TryParseOffset_InvalidText_ReturnsFalse(string text)
    {
        Assert.False(HostTime.TryParseOffset(text, out _));
    }

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("US/Eastern")]
    [InlineData("Asia/Kathmandu")]
    [InlineData("Asia/Katmandu")]
    [InlineData("UTC")]
    public void FindZone_KnownCanonicalOrLinkId_ReturnsZone(string id)
    {
        Assert.NotNull(HostTime.FindZone(id));
    }

    [Fact]
    public void FindZone_LinkId_BehavesLikeCanonicalZone()
    {
        var link = HostTime.FindZone("US/Eastern")!;
        var canonical = HostTime.FindZone("America/New_York")!;
        var instant = Instant.FromUtc(2027, 7, 1, 12, 0);

        Assert.Equal(canonical.GetZoneInterval(instant).Name, link.GetZoneInterval(instant).Name);
        Assert.Equal(canonical.GetUtcOffset(instant), link.GetUtcOffset(instant));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("EST5EDT ")]
    public void FindZone_UnknownOrEmptyId_ReturnsNull(string? id)
    {
        Assert.Null(HostTime.FindZone(id));
    }

    [Theory]
    [InlineData("US/Eastern", "America/New_York")]
    [InlineData("Asia/Katmandu", "Asia/Kathmandu")]
    [InlineData("Asia/Calcutta", "Asia/Kolkata")]
    [InlineData("Europe/Dublin", "Europe/Dublin")]
    public void CanonicalId_LinkOrCanonical_ReturnsCanonical(string id, string canonical)
    {
        Assert.Equal(canonical, HostTime.CanonicalId(HostTime.FindZone(id)!));
    }
}

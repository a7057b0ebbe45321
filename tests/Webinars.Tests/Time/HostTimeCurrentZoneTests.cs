using Webinars.Time;

namespace Webinars.Tests.Time;

public sealed class HostTimeCurrentZoneTests
{
    [Theory]
    [InlineData("Asia/Calcutta", "Asia/Kolkata")]
    [InlineData("US/Eastern", "America/New_York")]
    [InlineData("Europe/Paris", "Europe/Paris")]
    [InlineData("Etc/UTC", "UTC")]
    public void FindCurrentZone_OldOrCurrentName_GivesTheCurrentName(string id, string expected) =>
        Assert.Equal(expected, HostTime.FindCurrentZone(id)!.Id);
}

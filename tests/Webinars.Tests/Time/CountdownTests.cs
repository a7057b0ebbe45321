using NodaTime;
using Webinars.Time;

namespace Webinars.Tests.Time;

public sealed class CountdownTests
{
    [Theory]
    [InlineData(30, "less than a minute")]
    [InlineData(60, "1 minute")]
    [InlineData(59 * 60 + 59, "59 minutes")]
    [InlineData(3 * 3600 + 12 * 60, "3 hours 12 minutes")]
    [InlineData(3600, "1 hour")]
    [InlineData(2 * 86400 + 3 * 3600 + 59 * 60, "2 days 3 hours")]
    [InlineData(86400 + 30 * 60, "1 day")]
    public void Text_TimeLeft_ReadsInTheLargestTwoUnits(int seconds, string expected) =>
        Assert.Equal(expected, Countdown.Text(Duration.FromSeconds(seconds)));
}

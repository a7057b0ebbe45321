using Webinars.Publishing;

namespace Webinars.Tests.Publishing;

public sealed class YouTubeLinkTests
{
    [Theory]
    [InlineData("https://www.youtube.com/watch?v=dQw4w9WgXcQ", null)]
    [InlineData("https://youtube.com/watch?v=dQw4w9WgXcQ", null)]
    [InlineData("http://www.youtube.com/watch?v=dQw4w9WgXcQ", null)]
    [InlineData("www.youtube.com/watch?v=dQw4w9WgXcQ", null)]
    [InlineData("https://www.youtube.com/watch?feature=share&v=dQw4w9WgXcQ&list=PL123&index=2", null)]
    [InlineData("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=754s", 754)]
    [InlineData("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=754", 754)]
    [InlineData("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1h2m3s", 3723)]
    [InlineData("https://www.youtube.com/watch?v=dQw4w9WgXcQ#t=1m30s", 90)]
    [InlineData("https://m.youtube.com/watch?v=dQw4w9WgXcQ", null)]
    [InlineData("https://music.youtube.com/watch?v=dQw4w9WgXcQ&si=abc", null)]
    [InlineData("https://youtu.be/dQw4w9WgXcQ", null)]
    [InlineData("youtu.be/dQw4w9WgXcQ?t=42", 42)]
    [InlineData("https://youtu.be/dQw4w9WgXcQ?si=Xyz_shareid&t=12m", 720)]
    [InlineData("https://www.youtube.com/live/dQw4w9WgXcQ?si=abc", null)]
    [InlineData("https://www.youtube.com/embed/dQw4w9WgXcQ?start=30", 30)]
    [InlineData("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", null)]
    [InlineData("https://www.youtube.com/shorts/dQw4w9WgXcQ", null)]
    [InlineData("https://www.youtube.com/v/dQw4w9WgXcQ", null)]
    [InlineData("  https://WWW.YouTube.com/watch?v=dQw4w9WgXcQ  ", null)]
    [InlineData("https://www.youtube.com/watch?v=a-b_c1D2e3F", null)]
    public void Parse_AcceptedForm_GivesIdAndStart(string url, int? start)
    {
        var link = YouTubeLink.Parse(url);

        Assert.NotNull(link);
        Assert.Equal(url.Contains("a-b_c1D2e3F", StringComparison.Ordinal) ? "a-b_c1D2e3F" : "dQw4w9WgXcQ", link.VideoId);
        Assert.Equal(start, link.StartSeconds);
        Assert.Equal($"https://www.youtube-nocookie.com/embed/{link.VideoId}", link.EmbedUrl);
        Assert.Equal($"https://www.youtube.com/watch?v={link.VideoId}", link.Url);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("dQw4w9WgXcQ")]
    [InlineData("https://vimeo.com/123456789")]
    [InlineData("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ")]
    [InlineData("https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ")]
    [InlineData("https://evil.example/youtube.com/watch?v=dQw4w9WgXcQ")]
    [InlineData("https://notyoutube.com/watch?v=dQw4w9WgXcQ")]
    [InlineData("https://youtu.be.evil.example/dQw4w9WgXcQ")]
    [InlineData("https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ")]
    [InlineData("https://user@www.youtube.com/watch?v=dQw4w9WgXcQ")]
    [InlineData("https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ")]
    [InlineData("javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ")]
    [InlineData("javascript://www.youtube.com/watch?v=dQw4w9WgXcQ%0aalert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("ftp://www.youtube.com/watch?v=dQw4w9WgXcQ")]
    [InlineData("https://www.youtube.com/playlist?list=PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf")]
    [InlineData("https://www.youtube.com/watch?list=PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf")]
    [InlineData("https://www.youtube.com/watch?v=dQw4w9WgXc")]
    [InlineData("https://www.youtube.com/watch?v=dQw4w9WgXcQQ")]
    [InlineData("https://youtu.be/dQw4w9WgX")]
    [InlineData("https://www.youtube.com/watch?v=dQw4w9WgX%3CQ")]
    [InlineData("https://www.youtube.com/watch?v=")]
    [InlineData("https://www.youtube.com/")]
    [InlineData("https://www.youtube.com/channel/UC_x5XG1OV2P6uZZ5FSM9Ttw")]
    [InlineData("https://www.youtube.com/@GoogleDevelopers")]
    [InlineData("https://youtu.be/dQw4w9WgXcQ/extra")]
    [InlineData("https://www.youtube.com/embed/dQw4w9WgXcQ/extra")]
    public void Parse_NotAVideoLink_IsNull(string url) => Assert.Null(YouTubeLink.Parse(url));

    [Fact]
    public void At_NegativeSeconds_StartsAtZero() =>
        Assert.Equal("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=0s", YouTubeLink.At("dQw4w9WgXcQ", -5));
}

using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Webinars.Tests.Browser;

/// <summary>
/// Waits until the browser shows a URL. Not <c>IPage.WaitForURLAsync</c>: the .NET client checks the frame's URL and
/// load state on its side and then subscribes to their events, and an event handled in between is missed — on a busy
/// machine the test then waited out its timeout on a page that had long arrived (seen in CI and reproduced: the URL
/// matched and no request was open). The assertion polls the browser itself.
/// </summary>
public static class Landing
{
    /// <param name="glob">A URL pattern: <c>**</c> any text, <c>*</c> any text without '/', everything else literal.</param>
    public static Task ExpectAsync(IPage page, string glob, int timeoutMs = 60_000) =>
        Assertions.Expect(page).ToHaveURLAsync(ToRegex(glob), new() { Timeout = timeoutMs });

    public static Regex ToRegex(string glob)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            if (glob[i] != '*')
            {
                pattern.Append(Regex.Escape(glob[i].ToString()));
            }
            else if (i + 1 < glob.Length && glob[i + 1] == '*')
            {
                pattern.Append(".*");
                i++;
            }
            else
            {
                pattern.Append("[^/]*");
            }
        }

        return new Regex(pattern.Append('$').ToString());
    }
}

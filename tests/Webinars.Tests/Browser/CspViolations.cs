using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Webinars.Tests.Browser;

/// <summary>
/// Content-Security-Policy violations seen by the pages of a browser context: the page's own
/// <c>securitypolicyviolation</c> event (relayed to the console by an init script, which the policy does not govern)
/// and Chromium's console report of anything it refused.
/// </summary>
public static class CspViolations
{
    private const string Prefix = "CSP violation:";
    private static readonly ConditionalWeakTable<IBrowserContext, ConcurrentQueue<string>> Seen = new();

    public static async Task WatchAsync(IBrowserContext context)
    {
        var seen = Seen.GetOrCreateValue(context);
        await context.AddInitScriptAsync(
            "document.addEventListener('securitypolicyviolation', function (e) {" +
            $" console.error('{Prefix} ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber); }});");
        context.Page += (_, page) => page.Console += (_, message) =>
        {
            if (message.Text.StartsWith(Prefix, StringComparison.Ordinal) || message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                seen.Enqueue($"{page.Url}: {message.Text}");
            }
        };
    }

    public static IReadOnlyCollection<string> In(IBrowserContext context) => Seen.GetOrCreateValue(context).ToArray();
}

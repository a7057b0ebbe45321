using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Accounts;

/// <summary>
/// Every route the app serves, with who may call it. A new endpoint or page fails this test until someone decides,
/// here, who it is for; a changed decision shows in review as a changed line.
/// </summary>
public sealed class AuthorizationMapTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    /// <summary>
    /// What the routing layer enforces. "Anyone" routes that serve one attendee check the attendee's own link or cookie
    /// in the handler (noted after the route): those checks have their own tests in Registrations.
    /// </summary>
    private static readonly Dictionary<string, string> Decisions = new(StringComparer.Ordinal)
    {
        ["* /"] = "Anyone",
        ["* /Index"] = "Anyone",
        ["* /Staff"] = "Staff",
        ["* /Staff/Denied"] = "Anyone",
        ["* /Staff/Index"] = "Staff",
        ["* /Staff/SignIn"] = "Anyone",
        ["* /Staff/SignOut"] = "Anyone",
        ["* /health/live"] = "Anyone",
        ["* /health/ready"] = "Anyone",
        ["* /registrations/link"] = "Anyone",
        ["* /staff/emails"] = "Staff",
        ["* /staff/emails/{id:guid}"] = "Staff",
        ["* /staff/topics"] = "Staff",
        ["* /staff/topics/new"] = "Staff",
        ["* /staff/topics/{slug}/edit"] = "Staff",
        ["* /staff/webinars/new"] = "Staff",
        ["* /staff/webinars/{slug}/edit"] = "Staff",
        ["* /staff/webinars/{slug}/registrants"] = "Staff",
        ["* /topics/{slug}"] = "Anyone",
        ["* /webinars/{slug}"] = "Anyone",
        ["* /webinars/{slug}/live"] = "Anyone", // the join link only for the attendee signed in by their link
        ["* /webinars/{slug}/manage"] = "Anyone", // the attendee signed in by their link
        ["* /webinars/{slug}/moderate"] = "Moderator", // the moderator console: moderators and staff
        ["* /webinars/{slug}/present"] = "Anyone", // a moderator or staff signed in, or the webinar's presenter link (checked in the handler: PresenterLinkTests)
        ["* /webinars/{slug}/register"] = "Anyone",
        ["DELETE /api/registrations/me/"] = "Attendee",
        ["* /hubs/qa"] = "Anyone", // the hub admits a confirmed attendee of the webinar, a moderator or staff at connect and per method
        ["* /hubs/qa/negotiate"] = "Anyone", // the same checks, on the negotiation before the connection
        ["GET /api/webinars/{slug}/qa/"] = "Staff",
        ["GET /api/webinars/{slug}/qa/questions"] = "Staff",
        ["POST /api/webinars/{slug}/qa/close"] = "Staff",
        ["POST /api/webinars/{slug}/qa/open"] = "Staff",
        ["POST /api/webinars/{slug}/qa/presenter-link"] = "Staff",
        ["GET /api/webinars/{slug}/payments/"] = "Staff",
        ["POST /api/webinars/{slug}/payments/{registrationId:guid}/refund"] = "Staff",
        ["GET /api/webinars/{slug}/payments/terms"] = "Staff",
        ["PUT /api/webinars/{slug}/payments/terms"] = "Staff",
        ["GET /api/webinars/{slug}/ticket-types/"] = "Staff",
        ["PUT /api/webinars/{slug}/ticket-types/{key}"] = "Staff",
        ["DELETE /api/webinars/{slug}/ticket-types/{key}"] = "Staff",
        ["POST /api/payments/stripe/webhook"] = "Anyone", // Stripe's events, each verified by its signature before anything changes
        ["* /staff/webinars/{slug}/publish"] = "Staff",
        ["GET /api/webinars/{slug}/publishing"] = "Staff",
        ["GET /api/webinars/{slug}/recap/draft"] = "Staff",
        ["GET /api/webinars/{slug}/recap/revisions"] = "Staff",
        ["POST /api/recap/preview"] = "Staff",
        ["POST /api/webinars/{slug}/recap/publish"] = "Staff",
        ["PUT /api/webinars/{slug}/recap"] = "Staff",
        ["PUT /api/webinars/{slug}/recording"] = "Staff",
        ["GET /api/reference/favicon.svg"] = "Anyone",
        ["GET /api/reference/scalar.aspnetcore.js"] = "Anyone",
        ["GET /api/reference/scalar.js"] = "Anyone",
        ["GET /api/reference/{documentName?}"] = "Anyone",
        ["GET /api/registrations/me/"] = "Attendee",
        ["GET /api/topics/"] = "Anyone",
        ["GET /api/topics/{slug}"] = "Anyone",
        ["GET /api/webinars/"] = "Anyone",
        ["GET /api/webinars/{slug}"] = "Anyone",
        ["GET /api/webinars/{slug}/questions"] = "Anyone",
        ["GET /api/webinars/{slug}/registrations"] = "Staff",
        ["GET /api/webinars/{slug}/registrations/summary"] = "Staff",
        ["GET /feed.rss"] = "Anyone",
        ["GET /openapi/{documentName}.json"] = "Anyone",
        ["GET /r/{token}"] = "Anyone", // the link itself signs the attendee in
        ["GET /topics/{slug}/calendar.ics"] = "Anyone",
        ["GET /topics/{slug}/feed.atom"] = "Anyone",
        ["GET /topics/{slug}/feed.rss"] = "Anyone",
        ["GET /webinars/{slug}.ics"] = "Anyone",
        ["POST /api/auth/login"] = "Anyone",
        ["POST /api/topics/"] = "Staff",
        ["PUT /api/topics/{slug}"] = "Staff",
        ["POST /api/webinars/"] = "Staff",
        ["POST /api/webinars/preview"] = "Staff",
        ["POST /api/webinars/{slug}/announce"] = "Staff",
        ["POST /api/webinars/{slug}/cancel"] = "Staff",
        ["POST /api/webinars/{slug}/registrations"] = "Anyone",
        ["POST /api/webinars/{slug}/registrations/approve"] = "Staff",
        ["POST /api/webinars/{slug}/registrations/decline"] = "Staff",
        ["POST /api/webinars/{slug}/registrations/send-link"] = "Anyone", // answers the same for any address; the link goes to the address only
        ["POST /api/webinars/{slug}/registrations/{id:guid}/cancel"] = "Staff",
        ["POST /api/webinars/{slug}/registrations/{id:guid}/resend-link"] = "Staff",
        ["PUT /api/webinars/{slug}"] = "Staff",
        ["PUT /api/webinars/{slug}/questions"] = "Staff",
    };

    [Fact]
    public void Routes_EveryEndpointAndPage_HasAnExplicitAuthorizationDecision()
    {
        var actual = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .GroupBy(Key).ToDictionary(g => g.Key, g => string.Join(" | ", g.Select(Access).Distinct()), StringComparer.Ordinal);

        var undecided = actual.Keys.Except(Decisions.Keys).Order(StringComparer.Ordinal).ToList();
        var gone = Decisions.Keys.Except(actual.Keys).Order(StringComparer.Ordinal).ToList();
        var changed = actual.Where(a => Decisions.TryGetValue(a.Key, out var d) && d != a.Value).Select(a => $"{a.Key}: {a.Value} (decided: {Decisions[a.Key]})").ToList();
        Assert.True(undecided.Count + gone.Count + changed.Count == 0,
            $"New routes without a decision:\n{string.Join('\n', undecided.Select(k => $"[\"{k}\"] = \"{actual[k]}\","))}\n"
            + $"Decided routes that are gone:\n{string.Join('\n', gone)}\nRoutes whose authorization changed:\n{string.Join('\n', changed)}");
    }

    private static string Key(RouteEndpoint endpoint)
    {
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m ? string.Join(",", m.Order(StringComparer.Ordinal)) : "*";
        return $"{methods} /{endpoint.RoutePattern.RawText?.TrimStart('/')}";
    }

    private static string Access(RouteEndpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null) return "Anyone";
        var rules = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Policy ?? (a.Roles is { } roles ? $"Roles={roles}" : "SignedIn")).Distinct().Order(StringComparer.Ordinal).ToList();
        return rules.Count == 0 ? "Anyone" : string.Join("+", rules);
    }
}

using Webinars.Accounts;
using Webinars.Caching;
using Webinars.Data;
using Webinars.Demo;
using Webinars.Email;
using Webinars.Feeds;
using Webinars.Infrastructure;
using Webinars.LiveQa;
using Webinars.Payments;
using Webinars.Publishing;
using Webinars.Registrations;
using Webinars.Topics;
using Webinars.Webinars;

var builder = WebApplication.CreateBuilder(args);

builder.AddPlatform();          // clock, JSON, ProblemDetails, OpenAPI, health, telemetry, forwarded headers
builder.AddWebinarsDatabase();  // SQLite by default, PostgreSQL with Database:Provider=Postgres
builder.AddAccounts();          // staff and moderator accounts: cookie for pages, bearer for the API
builder.AddTopics();            // topics: the programs webinars and feeds hang off
builder.AddWebinars();          // webinars, their schedule and its recomputation on a new tz database
builder.AddEmail();             // outbox, SMTP or .eml pickup, attendee messages, reminders
builder.AddFeeds();             // RSS, Atom and iCalendar; other features add feed items through IFeedEntrySource
builder.AddRegistrations();     // registering, the seat guard, magic links, registrants
builder.AddLiveQa();            // the Q&A hub (/hubs/qa), vote batches, attendance; Redis backplane when configured
builder.AddPayments();          // paid webinars: Stripe Checkout, held seats, verified webhooks, refunds
builder.AddPublishing();        // recording, recap, follow-up emails and the YouTube steps
builder.AddReadCache();         // anonymous reads rendered once, kept until a change evicts them; ETags, 304s, compression
builder.Services.AddRazorPages(o => o.Conventions.AuthorizeFolder("/Staff", Policies.Staff).AllowAnonymousToPage("/Staff/SignIn"));

var app = builder.Build();

await DatabaseSetup.MigrateAsync(app.Services);
if (UsersCommand.Matches(args))
{
    return await UsersCommand.RunAsync(app.Services, args, Console.Out, Console.Error);
}

if (app.Environment.IsDevelopment())
{
    await DemoData.SeedAsync(app.Services, app.Logger);
}

app.UsePlatform();              // error pages, security headers, static files, auth
app.UseReadCache();             // output cache, ETag/304 and Cache-Control, Brotli/gzip for public reads
app.MapPlatform();              // /health/live, /health/ready, /openapi/v1.json, /api/reference
app.MapAccounts();              // POST /api/auth/login
app.MapTopics();                // /api/topics
app.MapWebinars();              // /api/webinars
app.MapWebinarPreview();        // POST /api/webinars/preview: the staff form's live preview of times
app.MapRegistrations();         // /api/webinars/{slug}/registrations, /api/registrations/me, /r/{token}
app.MapFeeds();                 // RSS, Atom and iCalendar
app.MapLiveQa();                // /hubs/qa, /api/webinars/{slug}/qa/open|close|questions
app.MapPayments();              // POST /api/payments/stripe/webhook, staff refunds and totals
app.MapPublishing();            // /api/webinars/{slug}/recording, /recap, /recap/publish
app.MapRazorPages();            // every page people use

await app.RunAsync();
return 0;

public partial class Program;

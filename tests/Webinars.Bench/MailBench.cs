using System.Diagnostics;
using System.Globalization;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using NodaTime;

namespace Webinars.Bench;

/// <summary>
/// <c>mail</c> mode: 10,000 confirmations queued after a rush, and separately 10,000 reminders due at one instant, sent
/// by the real app (its own process, on SQLite and on PostgreSQL, <c>Email:Smtp:Connections</c>) to a local SMTP server that counts
/// connections; next to the ceiling measured in the same run against the same server: a bare MailKit loop on one
/// connection and on the same number of connections.
/// </summary>
public static class MailBench
{
    public static async Task<int> RunAsync(BenchOptions options, int messages, int connections, IReadOnlyList<string> providers, bool reminders = true)
    {
        using var smtp = new CountingSmtpServer();
        if (options.WarmUp > 0) await BareAsync(smtp, options.WarmUp, connections, "warm-up");
        var runs = new List<Run> { await BareAsync(smtp, messages, 1), await BareAsync(smtp, messages, connections) };
        var late = new List<(string, Duration)>();
        foreach (var provider in providers)
        {
            var (confirmations, reminded, lastAfterDue) = await AppAsync(options, smtp, messages, connections, provider == "sqlite", reminders);
            runs.Add(confirmations);
            if (reminded is null) continue;
            runs.Add(reminded);
            late.Add((provider, lastAfterDue));
        }

        Print(runs, connections, late);
        return 0;
    }

    private static async Task<(Run Confirmations, Run? Reminders, Duration LastAfterDue)> AppAsync(
        BenchOptions options, CountingSmtpServer smtp, int messages, int connections, bool sqlite, bool withReminders)
    {
        var warmUp = options.WarmUp;
        var provider = sqlite ? "SQLite" : "PostgreSQL";
        var settings = new Dictionary<string, string>
        {
            ["Email__Smtp__Host"] = "127.0.0.1",
            ["Email__Smtp__Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Email__Smtp__Connections"] = connections.ToString(CultureInfo.InvariantCulture),
            ["Email__DispatchIntervalSeconds"] = "1",
            ["Reminders__Offsets__0"] = "3",
            ["Reminders__WriteAheadMinutes"] = "1",
            ["Site__BaseUrl"] = "https://webinars.example.org",
        };
        await using var app = await AppServer.StartAsync(options, settings, sqlite);
        if (warmUp > 0)
        {
            // Untimed, as the registration rush warms up: on two cores the JIT is still optimising the sending path for tens of
            // seconds after start, and a cold app is not what a webinar's confirmations meet after a rush.
            var warmingUrl = await app.CreateWebinarAsync(capacity: warmUp * 2);
            var warming = await MailSeed.WebinarIdAsync(app, warmingUrl);
            smtp.Reset();
            var warmClock = Stopwatch.StartNew();
            await QueueRushAsync(app, warmingUrl, warming, warmUp, "w", warmClock);
            await smtp.WaitForAsync(warmUp, TimeSpan.FromMinutes(10));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{provider}: warm-up, {warmUp} confirmations in {warmClock.Elapsed.TotalSeconds:0.0} s"));
        }

        // Confirmations: the rows a rush leaves (registrations and their unwritten messages), committed at once (QueueRushAsync).
        var url = await app.CreateWebinarAsync(capacity: messages * 2);
        smtp.Reset();
        var webinar = await MailSeed.WebinarIdAsync(app, url);
        var clock = Stopwatch.StartNew();
        var inserted = await QueueRushAsync(app, url, webinar, messages, "c", clock);
        await smtp.WaitForAsync(messages, TimeSpan.FromMinutes(10));
        var confirmations = new Run($"app on {provider}: confirmations", messages, clock.Elapsed - inserted, smtp.Connections, smtp.Accepted);
        var flowing = (smtp.LastAcceptedAt - smtp.FirstAcceptedAt).ToTimeSpan();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{provider}: the first confirmation accepted {(confirmations.Elapsed - flowing).TotalSeconds:0.00} s after the rows were in, the rest in {flowing.TotalSeconds:0.00} s ({(messages - 1) / flowing.TotalSeconds:0}/s)"));
        confirmations = confirmations with { Beside = (await BareAsync(smtp, messages, connections, $"beside {provider}")).PerSecond };
        if (!withReminders) return (confirmations, null, Duration.Zero);

        // Reminders: 3 minutes before a start a few minutes ahead, written 1 minute ahead of their instant.
        var now = SystemClock.Instance.GetCurrentInstant();
        var start = Instant.FromUnixTimeSeconds((now.ToUnixTimeSeconds() / 60 * 60) + (6 * 60));
        var due = start - Duration.FromMinutes(3);
        var reminded = await app.CreateWebinarAsync(capacity: messages * 2, localStart: start.InUtc().LocalDateTime.ToString("uuuu-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), hostZone: "Etc/UTC");
        var reminderWebinar = await MailSeed.WebinarIdAsync(app, reminded);
        await MailSeed.InsertRegistrationsAsync(app, reminderWebinar, messages, "r", withConfirmation: false);
        smtp.Reset();
        Console.Error.WriteLine($"{provider}: reminders due at {due} (in {(due - SystemClock.Instance.GetCurrentInstant()).TotalSeconds:0} s)");
        await smtp.WaitForAsync(messages, (due - SystemClock.Instance.GetCurrentInstant()).ToTimeSpan() + TimeSpan.FromMinutes(10));
        var lastAfterDue = smtp.LastAcceptedAt - due;
        var reminders = new Run($"app on {provider}: reminders due at one instant", messages, lastAfterDue.ToTimeSpan(), smtp.Connections, smtp.Accepted);
        reminders = reminders with { Beside = (await BareAsync(smtp, messages, connections, $"beside {provider}")).PerSecond };
        return (confirmations, reminders, lastAfterDue);
    }

    /// <summary>
    /// The rows a rush leaves, <paramref name="count"/> registrations with their unwritten confirmations: all but the last
    /// written straight into the database (for speed), the last one made through the app's API, as every registration of
    /// a real rush is, so that its commit wakes the dispatcher. Rows written past the app are found at its next poll, up to
    /// <c>Email:DispatchIntervalSeconds</c> later, which the bench measured until the sixth session. Returns the time on
    /// <paramref name="clock"/> when the rows were in the database.
    /// </summary>
    private static async Task<TimeSpan> QueueRushAsync(AppServer app, string url, string webinar, int count, string tag, Stopwatch clock)
    {
        await MailSeed.InsertRegistrationsAsync(app, webinar, count - 1, tag, withConfirmation: true);
        var inserted = clock.Elapsed;
        await Rush.RegisterAsync(url, $"{tag}-last");
        return inserted;
    }

    private sealed record Run
    {
        public Run(string name, int messages, TimeSpan elapsed, int connections, int accepted)
        {
            (Name, Messages, Elapsed, Connections, Accepted) = (name, messages, elapsed, connections, accepted);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {messages} in {elapsed.TotalSeconds:0.0} s ({PerSecond:0}/s), {connections} connections, {accepted} accepted"));
        }

        public string Name { get; }

        public int Messages { get; }

        public TimeSpan Elapsed { get; }

        public int Connections { get; }

        public int Accepted { get; }

        public double PerSecond => Messages / Elapsed.TotalSeconds;

        /// <summary>The bare loop's messages/s on the same connections, run right after this one.</summary>
        public double? Beside { get; init; }
    }

    private static void Print(IReadOnlyList<Run> runs, int connections, IReadOnlyList<(string Provider, Duration LastAfterDue)> late)
    {
        var ceiling = runs[1].PerSecond;
        Console.WriteLine($"| run | messages | seconds | messages/s | × bare on {connections} | × bare on {connections} run beside it | connections opened | accepted (repeats) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in runs)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Messages} | {r.Elapsed.TotalSeconds:0.0} | {r.PerSecond:0} | {r.PerSecond / ceiling:0.00} | {(r.Beside is { } beside ? (r.PerSecond / beside).ToString("0.00", CultureInfo.InvariantCulture) : "")} | {r.Connections} | {r.Accepted} ({r.Accepted - r.Messages}) |"));
        }

        foreach (var (provider, lastAfterDue) in late)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{provider}: last reminder accepted {lastAfterDue.TotalSeconds:0.0} s after the due instant"));
        }
    }

    /// <summary>
    /// The ceiling: MailKit sending prebuilt messages as fast as it can over <paramref name="connections"/> connections.
    /// <paramref name="label"/> names a run outside the table: the warm-up, or the one run again right after an app's
    /// timed run, so that each app is also compared with the machine as it was then (its speed drifts by ±20 % over the
    /// minutes a run takes).
    /// </summary>
    private static async Task<Run> BareAsync(CountingSmtpServer smtp, int messages, int connections, string? label = null)
    {
        var name = label is null ? "" : label + " ";
        var prepared = Enumerable.Range(0, messages).Select(i => Sample($"{label?.Replace(' ', '-')}bare{connections}-{i}")).ToList();
        smtp.Reset();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            using var client = new SmtpClient();
            await client.ConnectAsync("127.0.0.1", smtp.Port, SecureSocketOptions.None);
            for (var i = c; i < messages; i += connections) await client.SendAsync(prepared[i]);
            await client.DisconnectAsync(true);
        }));
        await smtp.WaitForAsync(messages, TimeSpan.FromMinutes(5));
        return new Run($"{name}bare MailKit, {connections} connection(s)", messages, clock.Elapsed, smtp.Connections, smtp.Accepted);
    }

    /// <summary>About the size and shape of a confirmation: text, HTML and an .ics.</summary>
    private static MimeMessage Sample(string id)
    {
        var message = new MimeMessage { Subject = "You're registered: Bench", MessageId = $"{id}@bench" };
        message.From.Add(MailboxAddress.Parse("webinars@example.org"));
        message.To.Add(new MailboxAddress("Reader", $"{id}@example.org"));
        var text = string.Concat(Enumerable.Repeat("Hello, you have a seat. When: Tue 12 Jan 09:00 (New York). ", 12));
        var body = new BodyBuilder { TextBody = text, HtmlBody = $"<!DOCTYPE html><html><body><p>{text}</p></body></html>" };
        body.Attachments.Add("invite.ics", System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("BEGIN:VEVENT\r\nSUMMARY:Bench\r\nEND:VEVENT\r\n", 20))), ContentType.Parse("text/calendar; method=REQUEST"));
        message.Body = body.ToMessageBody();
        return message;
    }
}

/// <summary>The mail mode's own arguments; the rest (<c>--postgres</c>, <c>--app</c>) as in <see cref="BenchOptions"/>.</summary>
/// <param name="Reminders">False (<c>--reminders false</c>): confirmations only, minutes sooner, for profiling that path.</param>
/// <remarks><c>--warmup N</c> (the rush's option, default 10,000): messages sent untimed first, by the bare loop and by each app.</remarks>
public sealed record MailBenchOptions(BenchOptions Bench, int Messages, int Connections, string[] Providers, bool Reminders)
{
    public static MailBenchOptions? Parse(string[] args)
    {
        int messages = 10_000, connections = 4;
        string[] providers = ["sqlite", "postgres"];
        var reminders = true;
        var rest = new List<string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--messages": messages = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--connections": connections = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--providers": providers = args[i + 1].Split(','); break;
                case "--reminders": reminders = bool.Parse(args[i + 1]); break;
                default: rest.AddRange([args[i], args[i + 1]]); break;
            }
        }

        return BenchOptions.Parse([.. rest]) is { } bench ? new MailBenchOptions(bench, messages, connections, providers, reminders) : null;
    }
}

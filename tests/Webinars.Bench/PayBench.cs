using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using NodaTime;
using Npgsql;
using Webinars.Tests.Payments;

namespace Webinars.Bench;

/// <summary>
/// <c>pay</c> mode: the real app (its own process, PostgreSQL) paying through the tests' fake Stripe (the same file,
/// the same API), which answers every call in a fixed 50 ms. (1) A rush of paid registrations next to a rush of free
/// ones on the same app in the same run (the baseline); (2) a webhook storm: 10,000 events signed as Stripe signs them,
/// 20 % of them duplicates, shuffled, posted concurrently, next to the ceiling's one-INSERT POSTs in the same run;
/// then the final state is checked: every paid session has its seat, every expired one gave it back, and no event was
/// applied twice.
/// </summary>
public static class PayBench
{
    private const string WebhookSecret = "whsec_bench_secret";
    private const double DuplicateShare = 0.2;
    private const double ExpiredShare = 0.1;

    public static async Task<int> RunAsync(PayBenchOptions pay)
    {
        var options = pay.Bench;
        await using var stripe = new FakeStripe { Now = () => SystemClock.Instance.GetCurrentInstant().ToUnixTimeSeconds(), Latency = TimeSpan.FromMilliseconds(50) };
        await stripe.StartAsync();
        var unique = (int)(pay.Events * (1 - DuplicateShare));

        RushResult ceiling;
        await using (var bare = await CeilingServer.StartAsync(options))
        {
            await Rush.RunAsync("warm-up", bare.RegistrationUrl, pay.Concurrency, options.WarmUp, emailPrefix: "warm");
            ceiling = await Rush.RunAsync("ceiling: one INSERT per POST", bare.RegistrationUrl, pay.Concurrency, pay.Events, emailPrefix: "ceiling");
        }

        await using var app = await AppServer.StartAsync(options, new Dictionary<string, string>
        {
            ["Stripe__SecretKey"] = "sk_test_bench",
            ["Stripe__WebhookSecret"] = WebhookSecret,
            ["Stripe__ApiBase"] = stripe.BaseUrl,
            ["Stripe__BackgroundSweep"] = "false", // only the requests measured here touch payments
            ["Site__BaseUrl"] = "https://webinars.example.org",
        });
        var price = new { amount = 2500, currency = "USD" };
        await Rush.RunAsync("warm-up", await app.CreateWebinarAsync(options.WarmUp), pay.Concurrency, options.WarmUp, emailPrefix: "warm-free");
        await Rush.RunAsync("warm-up", await app.CreateWebinarAsync(options.WarmUp, price: price), pay.Concurrency, Math.Min(options.WarmUp, 2000), emailPrefix: "warm-paid");

        var freeUrl = await app.CreateWebinarAsync(options.Capacity);
        var free = await Rush.RunAsync("app: free registrations", freeUrl, pay.Concurrency, options.Requests, emailPrefix: "free");
        var paidUrl = await app.CreateWebinarAsync(options.Capacity, price: price);
        var sessionsBefore = stripe.Sessions.Count;
        var paid = await Rush.RunAsync("app: paid registrations (Stripe 50 ms)", paidUrl, pay.Concurrency, options.Requests, emailPrefix: "paid");
        var (held, seats) = await CountAsync(app, paidUrl, "PendingPayment");
        var sessions = stripe.Sessions.Count - sessionsBefore;
        paid = paid with { Confirmed = held, Capacity = options.Capacity, SeatsTaken = seats };

        // The storm's sessions: one paid registration each on a webinar with a seat for all of them (not timed).
        var stormUrl = await app.CreateWebinarAsync(unique, price: price);
        var stormSlug = stormUrl.Split('/')[^2];
        var before = stripe.Sessions.Select(s => (string)s["id"]!).ToHashSet();
        await Rush.RunAsync("storm set-up", stormUrl, pay.Concurrency, unique, emailPrefix: "storm");
        var stormSessions = stripe.Sessions.Where(s => !before.Contains((string)s["id"]!)).Select(s => (string)s["id"]!).Order(StringComparer.Ordinal).ToList();
        var (storm, applied) = await StormAsync(app, stripe, stormSessions, pay);
        var check = await CheckStormAsync(app, stripe, stormSlug, stormSessions, applied);

        Print(ceiling, free, paid, sessions, storm, check, pay);
        return check.Problems.Count == 0 && held <= options.Capacity && seats == held ? 0 : 1;
    }

    private sealed record StormResult(int Events, int Unique, int Duplicates, int Ok, int Failed, double Seconds, double P50Ms, double P99Ms)
    {
        public double PerSecond => Ok / Seconds;
    }

    private sealed record StormCheck(int Confirmed, int Released, int Offered, int SeatsTaken, long EventRows, long Receipts, int Refunds, List<string> Problems);

    /// <summary>
    /// One event per session (paid for 90 %, expired for 10 %), then 20 % of the total again as duplicates of random ones,
    /// all shuffled (fixed seed) and posted by <c>concurrency</c> workers, each signed when sent (Stripe's 300 s tolerance).
    /// </summary>
    private static async Task<(StormResult Result, Dictionary<string, bool> PaidBySession)> StormAsync(AppServer app, FakeStripe stripe, List<string> sessionIds, PayBenchOptions pay)
    {
        var random = new Random(20261202);
        var paidBySession = new Dictionary<string, bool>();
        var events = new List<string>();
        foreach (var id in sessionIds)
        {
            var paid = random.NextDouble() >= ExpiredShare;
            paidBySession[id] = paid;
            var session = paid ? stripe.Complete(id) : stripe.Expire(id);
            events.Add(StripeEvents.Event(paid ? "checkout.session.completed" : "checkout.session.expired", session, SystemClock.Instance.GetCurrentInstant().ToUnixTimeSeconds()));
        }

        var unique = events.Count;
        while (events.Count < pay.Events) events.Add(events[random.Next(unique)]);
        var all = events.ToArray();
        random.Shuffle(all);

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = pay.Concurrency }) { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var latencies = new double[all.Length];
        var failures = new ConcurrentBag<string>();
        var next = -1;
        var ok = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, pay.Concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < all.Length)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/stripe/webhook") { Content = new StringContent(all[i], Encoding.UTF8, "application/json") };
                request.Headers.TryAddWithoutValidation("Stripe-Signature", StripeEvents.Sign(all[i], WebhookSecret, SystemClock.Instance.GetCurrentInstant().ToUnixTimeSeconds()));
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.IsSuccessStatusCode) Interlocked.Increment(ref ok);
                else failures.Add($"{(int)response.StatusCode}");
            }
        }));
        clock.Stop();
        Array.Sort(latencies);
        if (!failures.IsEmpty) Console.Error.WriteLine($"storm: {failures.Count} events not accepted: {string.Join(", ", failures.GroupBy(f => f).Select(g => $"{g.Count()}× {g.Key}"))}");
        return (new StormResult(all.Length, unique, all.Length - unique, ok, failures.Count, clock.Elapsed.TotalSeconds,
            latencies[all.Length / 2], latencies[Math.Min(all.Length - 1, (int)(all.Length * 0.99))]), paidBySession);
    }

    /// <summary>Every paid session's registration confirmed on that session, every expired one cancelled, each event stored once, one receipt per payer.</summary>
    private static async Task<StormCheck> CheckStormAsync(AppServer app, FakeStripe stripe, string slug, List<string> sessionIds, Dictionary<string, bool> paidBySession)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        var rows = new Dictionary<string, (string Status, string State)>();
        var offered = 0; // the rush's one waitlisted person, offered a seat an expiry freed: held, no session yet
        await using (var command = new NpgsqlCommand(
            """
            SELECT p."SessionId", r."Status", p."State" FROM "Payment" p JOIN "Registrations" r ON r."Id" = p."RegistrationId"
            JOIN "Webinars" w ON w."Id" = r."WebinarId" WHERE w."Slug" = $1
            """, connection))
        {
            command.Parameters.Add(new() { Value = slug });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                if (reader.IsDBNull(0)) offered++;
                else rows[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
            }
        }

        var problems = new List<string>();
        foreach (var id in sessionIds)
        {
            var expected = paidBySession[id] ? ("Confirmed", "Paid") : ("Cancelled", "Expired");
            if (!rows.TryGetValue(id, out var row)) problems.Add($"{id}: no payment row");
            else if (row != expected) problems.Add($"{id}: {row} instead of {expected}");
        }

        var seats = await ScalarAsync<int>(connection, """SELECT "SeatsTaken" FROM "Webinars" WHERE "Slug" = $1""", slug);
        var eventRows = await ScalarAsync<long>(connection, """SELECT count(*) FROM "StripeEvents" WHERE "Type" LIKE 'checkout.session.%'""");
        var receipts = await ScalarAsync<long>(connection,
            """SELECT count(*) FROM "OutboxMessages" m JOIN "Registrations" r ON r."Id" = m."RegistrationId" JOIN "Webinars" w ON w."Id" = r."WebinarId" WHERE w."Slug" = $1 AND m."Kind" = 'payment-receipt'""", slug);
        var confirmed = paidBySession.Count(p => p.Value);
        if (seats != confirmed + offered) problems.Add($"seats taken {seats}, paid sessions {confirmed}, offered from the waitlist {offered}");
        if (eventRows != sessionIds.Count) problems.Add($"{eventRows} events stored for {sessionIds.Count} distinct ones");
        if (receipts != confirmed) problems.Add($"{receipts} receipts for {confirmed} payments");
        if (!stripe.Refunds.IsEmpty) problems.Add($"{stripe.Refunds.Count} refunds where none was due");
        return new StormCheck(confirmed, sessionIds.Count - confirmed, offered, seats, eventRows, receipts, stripe.Refunds.Count, problems);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, string? parameter = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null) command.Parameters.Add(new() { Value = parameter });
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), CultureInfo.InvariantCulture);
    }

    private static async Task<(int Count, int SeatsTaken)> CountAsync(AppServer app, string url, string status)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        var slug = url.Split('/')[^2];
        var count = await ScalarAsync<long>(connection,
            $"""SELECT count(*) FROM "Registrations" r JOIN "Webinars" w ON w."Id" = r."WebinarId" WHERE w."Slug" = $1 AND r."Status" = '{status}'""", slug);
        return ((int)count, await ScalarAsync<int>(connection, """SELECT "SeatsTaken" FROM "Webinars" WHERE "Slug" = $1""", slug));
    }

    private static void Print(RushResult ceiling, RushResult free, RushResult paid, int sessions, StormResult storm, StormCheck check, PayBenchOptions pay)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, shared; fake Stripe answering in 50 ms; concurrency {pay.Concurrency}");
        Console.WriteLine();
        Console.WriteLine("| run | requests | ok | failed | per s | p50 ms | p99 ms | vs baseline |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(c, $"| {free.Name} | {free.Requests} | {free.Succeeded} | {free.Failed} | {free.PerSecond:0} | {free.P50Ms:0.0} | {free.P99Ms:0.0} | 1.00 (baseline) |"));
        Console.WriteLine(string.Create(c, $"| {paid.Name} | {paid.Requests} | {paid.Succeeded} | {paid.Failed} | {paid.PerSecond:0} | {paid.P50Ms:0.0} | {paid.P99Ms:0.0} | {paid.PerSecond / free.PerSecond:0.00} of free |"));
        Console.WriteLine(string.Create(c, $"| {ceiling.Name} | {ceiling.Requests} | {ceiling.Succeeded} | {ceiling.Failed} | {ceiling.PerSecond:0} | {ceiling.P50Ms:0.0} | {ceiling.P99Ms:0.0} | 1.00 (baseline) |"));
        Console.WriteLine(string.Create(c, $"| app: webhook storm ({storm.Unique} events + {storm.Duplicates} duplicates, shuffled) | {storm.Events} | {storm.Ok} | {storm.Failed} | {storm.PerSecond:0} | {storm.P50Ms:0.0} | {storm.P99Ms:0.0} | {storm.PerSecond / ceiling.PerSecond:0.00} of ceiling |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"Paid rush: {paid.Confirmed} held of {paid.Capacity} seats (the rest waitlisted), seat counter {paid.SeatsTaken}, {sessions} Checkout Sessions; "
            + $"Stripe alone bounds it at {pay.Concurrency / 0.05:0}/s ({pay.Concurrency} callers × 20 calls/s)."));
        Console.WriteLine(string.Create(c, $"Storm final state: {check.Confirmed} confirmed, {check.Released} released, {check.Offered} offered from the waitlist, seats taken {check.SeatsTaken}, {check.EventRows} events stored, {check.Receipts} receipts, {check.Refunds} refunds."));
        Console.WriteLine(check.Problems.Count == 0 ? "Every paid session has its seat; no event applied twice." : $"PROBLEMS ({check.Problems.Count}): {string.Join("; ", check.Problems.Take(10))}");
    }
}

/// <summary>The pay mode's own arguments; the rest (<c>--postgres</c>, <c>--requests</c>, <c>--capacity</c>, <c>--warmup</c>, <c>--app</c>) as in <see cref="BenchOptions"/>.</summary>
public sealed record PayBenchOptions(BenchOptions Bench, int Events, int Concurrency)
{
    public static PayBenchOptions? Parse(string[] args)
    {
        int events = 10_000, concurrency = 50;
        var rest = new List<string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--events": events = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--concurrency": concurrency = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: rest.AddRange([args[i], args[i + 1]]); break;
            }
        }

        return BenchOptions.Parse([.. rest]) is { } bench ? new PayBenchOptions(bench, events, concurrency) : null;
    }
}

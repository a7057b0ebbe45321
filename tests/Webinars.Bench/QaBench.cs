extern alias web;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using NodaTime;
using Npgsql;
using AccessTokens = web::Webinars.Registrations.AccessTokens;

namespace Webinars.Bench;

/// <summary>
/// Live Q&amp;A at scale: N attendee clients on the app's hub, a moderator approving 10 questions a second, next to a bare
/// hub (<see cref="QaCeilingServer"/>) relaying a question of the same size at the same rate, in the same run; then a
/// vote storm against the app with the counts checked afterwards.
/// </summary>
public static class QaBench
{
    private const string HostZone = "America/New_York";
    private static readonly string QuestionText = new('q', 200);

    public static async Task<int> RunAsync(QaBenchOptions options)
    {
        if (options.Clients.Any(n => (long)options.Approvals * (n - 1) < options.VotesPerSecond * options.StormSeconds))
        {
            Console.Error.WriteLine("qa: the vote storm needs approvals × (clients − 1) ≥ 10,000 distinct votes; raise --approvals or --clients");
            return 2;
        }

        var rows = new List<(int Clients, string Server, DeliveryResult Delivery, double KiBPerConnection)>();
        var storms = new List<(int Clients, VoteStorm Storm)>();
        foreach (var clients in options.Clients)
        {
            var (bare, bareMemory) = await BareAsync(options, clients);
            rows.Add((clients, "bare hub", bare, bareMemory));
            var (delivery, memory, storm) = await AppAsync(options, clients);
            rows.Add((clients, "app /hubs/qa", delivery, memory));
            storms.Add((clients, storm));
        }

        Console.WriteLine($"| clients | server | approvals | delivered | lost | p50 ms | p99 ms | deliveries/s | KiB/connection |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (n, server, d, kib) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {n} | {server} | {d.Sent} | {d.Delivered} | {d.Lost} | {d.P50Ms:0.0} | {d.P99Ms:0.0} | {d.PerSecond:0} | {kib:0.0} |"));
        }

        foreach (var n in options.Clients)
        {
            var bare = rows.First(r => r.Clients == n && r.Server == "bare hub");
            var app = rows.First(r => r.Clients == n && r.Server != "bare hub");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"N={n}: p99 {app.Delivery.P99Ms / bare.Delivery.P99Ms:0.00}x (target <= 1.5), deliveries {app.Delivery.PerSecond / bare.Delivery.PerSecond:0.00}x (>= 0.8), memory/connection {app.KiBPerConnection / bare.KiBPerConnection:0.00}x (<= 1.5)"));
        }

        foreach (var (n, s) in storms)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"vote storm N={n}: {s.Sent} votes sent in {s.SendSeconds:0.0} s, the last acknowledged after {s.AckSeconds:0.0} s ({s.Sent / s.AckSeconds:0} acknowledged/s), {s.Failed} refused; counts wrong in the snapshot: {s.WrongInSnapshot} of {s.Questions} questions; clients whose counts converged: {s.Converged} of {n}"));
        }

        var ok = rows.All(r => r.Delivery.Lost == 0) && storms.All(s => s.Storm.Failed == 0 && s.Storm.WrongInSnapshot == 0);
        return ok ? 0 : 1;
    }

    private static async Task<(DeliveryResult, double)> BareAsync(QaBenchOptions options, int clients)
    {
        await using var server = await QaCeilingServer.StartAsync();
        var (listeners, memory) = await ConnectMeasuredAsync(server.ProcessId, clients, (_, n) => QaListener.ConnectManyAsync(n, server.HubUrl, _ => null, _ => Task.CompletedTask));
        await using var moderator = await QaListener.ConnectAsync(server.HubUrl, null);
        var ids = Enumerable.Range(0, options.Approvals).Select(_ => Guid.NewGuid().ToString()).ToList();
        var result = await QaListener.PaceAsync(ids, id => moderator.Connection.InvokeAsync<JsonElement>("Broadcast", SameSizeQuestion(id)), listeners, options.Patience);
        Console.Error.WriteLine($"bare hub N={clients}: {result}");
        await DisposeAllAsync(listeners);
        return (result, memory);
    }

    private static async Task<(DeliveryResult, double, VoteStorm)> AppAsync(QaBenchOptions options, int clients)
    {
        var bench = new BenchOptions(options.Postgres, 0, clients, [], options.AppDll, 0);
        await using var app = await AppServer.StartAsync(bench);
        var startsSoon = SystemClock.Instance.GetCurrentInstant().Plus(Duration.FromMinutes(2))
            .InZone(DateTimeZoneProviders.Tzdb[HostZone]).LocalDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        var slug = (await app.CreateWebinarAsync(clients, startsSoon, HostZone)).Split('/')[^2];
        var tokens = await RegisterAsync(app.ConnectionString, slug, clients);
        var hubUrl = new Uri(app.BaseAddress, "/hubs/qa").ToString();

        var (listeners, memory) = await ConnectMeasuredAsync(app.ProcessId, clients,
            (from, n) => QaListener.ConnectManyAsync(n, hubUrl, i => tokens[from + i], l => l.Connection.InvokeAsync<JsonElement>("Join", slug)));
        await using var moderator = await QaListener.ConnectAsync(hubUrl, app.StaffToken);
        await moderator.Connection.InvokeAsync<JsonElement>("Join", slug);

        // One attendee asks them all, so that every other attendee may vote on every question in the storm.
        var ids = new List<string>();
        for (var i = 0; i < options.Approvals; i++)
        {
            var asked = await listeners[0].Connection.InvokeAsync<JsonElement>("Ask", $"bench-{i}", QuestionText, false);
            ids.Add(asked.GetProperty("id").GetString()!);
        }

        var result = await QaListener.PaceAsync(ids, id => moderator.Connection.InvokeAsync<JsonElement>("Approve", id), listeners, options.Patience);
        Console.Error.WriteLine($"app N={clients}: {result}");
        var storm = await VoteStormAsync(options, slug, ids, listeners, moderator);
        Console.Error.WriteLine($"vote storm N={clients}: {storm}");
        await DisposeAllAsync(listeners);
        return (result, memory, storm);
    }

    /// <summary>
    /// <see cref="QaBenchOptions.VotesPerSecond"/> for <see cref="QaBenchOptions.StormSeconds"/>, each vote a distinct
    /// (attendee, question) pair from attendees 1..N-1; then the moderator's snapshot and every client's last counts are
    /// compared with what was sent.
    /// </summary>
    private static async Task<VoteStorm> VoteStormAsync(QaBenchOptions options, string slug, List<string> ids, QaListener[] listeners, QaListener moderator)
    {
        var voters = listeners.Length - 1;
        var total = options.VotesPerSecond * options.StormSeconds;
        var perTick = options.VotesPerSecond / 10;
        var expected = new Dictionary<string, int>();
        var calls = new List<Task>();
        var failed = 0;
        var clock = Stopwatch.StartNew();
        using (var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100)))
        {
            for (var k = 0; k < total; k++)
            {
                if (k % perTick == 0) await timer.WaitForNextTickAsync();
                var id = ids[k / voters];
                expected[id] = expected.GetValueOrDefault(id) + 1;
                calls.Add(Vote(listeners[1 + (k % voters)], id));
            }
        }

        var sending = clock.Elapsed.TotalSeconds;
        await Task.WhenAll(calls);
        var acknowledged = clock.Elapsed.TotalSeconds;

        var waited = Stopwatch.StartNew();
        int converged;
        do
        {
            await Task.Delay(500);
            converged = listeners.Count(l => expected.All(e => l.Votes.GetValueOrDefault(e.Key) == e.Value));
        }
        while (converged < listeners.Length && waited.Elapsed < options.Patience);

        var snapshot = await moderator.Connection.InvokeAsync<JsonElement>("Join", slug);
        var counted = snapshot.EnumerateArray().ToDictionary(q => q.GetProperty("id").GetString()!, q => q.GetProperty("votes").GetInt32());
        var wrong = expected.Count(e => counted.GetValueOrDefault(e.Key) != e.Value);
        return new VoteStorm(total, failed, sending, acknowledged, expected.Count, wrong, converged);

        async Task Vote(QaListener voter, string id)
        {
            try
            {
                await voter.Connection.InvokeAsync<JsonElement>("Upvote", id);
            }
            catch (Exception e) when (e is Microsoft.AspNetCore.SignalR.HubException or InvalidOperationException)
            {
                Interlocked.Increment(ref failed);
            }
        }
    }

    /// <summary>
    /// N confirmed registrations written straight to the database, as a rush would leave them, with tokens the bench
    /// knows (hashed by the app's own helper); waiting for N confirmation emails would take longer than the run.
    /// </summary>
    private static async Task<string[]> RegisterAsync(string connectionString, string slug, int count)
    {
        var issued = Enumerable.Range(0, count).Select(_ => AccessTokens.New()).ToArray();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand(
            """
            WITH inserted AS (
                INSERT INTO "Registrations" ("Id", "WebinarId", "Name", "Email", "Organization", "TimeZoneId", "Status", "AccessTokenHash", "CreatedAt", "UpdatedAt")
                SELECT unnest($2::uuid[]), w."Id", unnest($3::text[]), unnest($4::text[]), '', 'Europe/Paris', 'Confirmed', unnest($5::text[]), now(), now()
                FROM "Webinars" w WHERE w."Slug" = $1
                RETURNING 1)
            UPDATE "Webinars" SET "SeatsTaken" = (SELECT count(*) FROM inserted) WHERE "Slug" = $1
            """, connection);
        insert.Parameters.Add(new() { Value = slug });
        insert.Parameters.Add(new() { Value = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToArray() });
        insert.Parameters.Add(new() { Value = Enumerable.Range(0, count).Select(i => $"Bench attendee {i}").ToArray() });
        insert.Parameters.Add(new() { Value = Enumerable.Range(0, count).Select(i => $"attendee-{i}@example.org").ToArray() });
        insert.Parameters.Add(new() { Value = issued.Select(t => t.Hash).ToArray() });
        await insert.ExecuteNonQueryAsync();
        return issued.Select(t => t.Token).ToArray();
    }

    /// <summary>An approved question as the app sends it to attendees: same fields, same text and name lengths.</summary>
    private static object SameSizeQuestion(string id) => new
    {
        id,
        text = QuestionText,
        author = "Bench attendee 0",
        anonymous = false,
        votes = 0,
        status = "Approved",
        pinned = false,
        askedAt = SystemClock.Instance.GetCurrentInstant().ToString(),
        answeredAt = (string?)null,
        answer = (string?)null,
        mergedInto = (string?)null,
        mine = false,
    };

    private static long WorkingSet(int processId)
    {
        using var process = Process.GetProcessById(processId);
        return process.WorkingSet64;
    }

    /// <summary>
    /// Connects all clients and returns the server's working-set growth per connection. The first tenth connect before
    /// the "before" reading, so that what every server pays once (JIT of the connect path, pools, the first GC heap
    /// growth) is not spread over the connections; each reading follows a 3 s pause to let the server settle.
    /// </summary>
    private static async Task<(QaListener[], double)> ConnectMeasuredAsync(int processId, int clients, Func<int, int, Task<QaListener[]>> connect)
    {
        var first = await connect(0, clients / 10);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var before = WorkingSet(processId);
        var rest = await connect(first.Length, clients - first.Length);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = WorkingSet(processId);
        Console.Error.WriteLine($"server working set {before / 1048576} MiB -> {after / 1048576} MiB for {rest.Length} more connections");
        return ([.. first, .. rest], (after - before) / 1024.0 / rest.Length);
    }

    private static async Task DisposeAllAsync(QaListener[] listeners) =>
        await Parallel.ForEachAsync(listeners, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (l, _) => await l.DisposeAsync());
}

public sealed record VoteStorm(int Sent, int Failed, double SendSeconds, double AckSeconds, int Questions, int WrongInSnapshot, int Converged);

public sealed record QaBenchOptions(string Postgres, int[] Clients, int Approvals, int VotesPerSecond, int StormSeconds, string AppDll, TimeSpan Patience)
{
    public static QaBenchOptions? Parse(string[] args)
    {
        var postgres = Environment.GetEnvironmentVariable("WEBINARS_TEST_POSTGRES");
        int[] clients = [1000, 2000];
        var approvals = 200;
        var appDll = BenchOptions.Parse(["--postgres", "-"])!.AppDll;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--postgres": postgres = args[i + 1]; break;
                case "--clients": clients = args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--approvals": approvals = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--app": appDll = Path.GetFullPath(args[i + 1]); break;
                default: return null;
            }
        }

        return string.IsNullOrEmpty(postgres) ? null : new QaBenchOptions(postgres, clients, approvals, 1000, 10, appDll, TimeSpan.FromSeconds(60));
    }
}

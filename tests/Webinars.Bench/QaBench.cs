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
        if (options.Clients.Any(n => (long)options.Approvals * n < options.VotesPerSecond * options.StormSeconds))
        {
            Console.Error.WriteLine("qa: the vote storm needs approvals × clients ≥ votes/s × seconds distinct votes; raise --approvals or --clients");
            return 2;
        }

        var rows = new List<(int Clients, string Server, DeliveryResult Delivery, PerConnection Memory)>();
        var storms = new List<(int Clients, VoteStorm Storm)>();
        foreach (var clients in options.Clients)
        {
            var (bare, bareMemory) = await BareAsync(options, clients);
            rows.Add((clients, "bare hub", bare, bareMemory));
            var (delivery, memory, storm) = await AppAsync(options, clients);
            rows.Add((clients, "app /hubs/qa", delivery, memory));
            storms.Add((clients, storm));
        }

        Console.WriteLine($"| clients | server | approvals | delivered | lost | p50 ms | p99 ms | deliveries/s | live heap KiB/connection | working set KiB/connection |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (n, server, d, m) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {n} | {server} | {d.Sent} | {d.Delivered} | {d.Lost} | {d.P50Ms:0.0} | {d.P99Ms:0.0} | {d.PerSecond:0} | {m.LiveKiB:0.0} | {m.WorkingSetKiB:0.0} |"));
        }

        foreach (var n in options.Clients)
        {
            var bare = rows.First(r => r.Clients == n && r.Server == "bare hub");
            var app = rows.First(r => r.Clients == n && r.Server != "bare hub");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"N={n}: p99 {app.Delivery.P99Ms / bare.Delivery.P99Ms:0.00}x (target <= 1.5), deliveries {app.Delivery.PerSecond / bare.Delivery.PerSecond:0.00}x (>= 0.8), live heap/connection {app.Memory.LiveKiB / bare.Memory.LiveKiB:0.00}x (<= 1.5), working set/connection {app.Memory.WorkingSetKiB / bare.Memory.WorkingSetKiB:0.00}x"));
        }

        foreach (var (n, s) in storms)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"vote storm N={n}: {s.Sent} votes sent in {s.SendSeconds:0.0} s, the last acknowledged after {s.AckSeconds:0.0} s ({s.Sent / s.AckSeconds:0} acknowledged/s, {s.Sent / s.SendSeconds:0} offered/s; each answered in p50 {s.AnswerP50Ms:0} ms, p99 {s.AnswerP99Ms:0} ms, max {s.AnswerMaxMs:0} ms), {s.Failed} refused; counts wrong in the snapshot: {s.WrongInSnapshot} of {s.Questions} questions; clients whose counts converged: {s.Converged} of {n}"));
        }

        // The scratch files (tokens, ids, latencies) go; the growth files stay for reading.
        foreach (var file in Directory.EnumerateFiles(Path.GetTempPath(), $"webinars-bench-qa-*-{Environment.ProcessId}.txt")) File.Delete(file);
        var ok = rows.All(r => r.Delivery.Lost == 0) && storms.All(s => s.Storm.Failed == 0 && s.Storm.WrongInSnapshot == 0);
        return ok ? 0 : 1;
    }

    private static async Task<(DeliveryResult, PerConnection)> BareAsync(QaBenchOptions options, int clients)
    {
        await using var server = await QaCeilingServer.StartAsync();
        await using var audience = QaClients.Start();
        var memory = await ConnectMeasuredAsync(server.ProcessId, clients, n => audience.ConnectAsync(server.HubUrl, n, null, null), "bare hub");
        await using var moderator = await QaListener.ConnectAsync(server.HubUrl, null);
        var ids = Enumerable.Range(0, options.Approvals).Select(_ => Guid.NewGuid().ToString()).ToList();
        var result = await PaceAsync(ids, id => moderator.Connection.InvokeAsync<JsonElement>("Broadcast", SameSizeQuestion(id)), audience, clients, options.Patience);
        Console.Error.WriteLine($"bare hub N={clients}: {result}");
        return (result, memory);
    }

    private static async Task<(DeliveryResult, PerConnection, VoteStorm)> AppAsync(QaBenchOptions options, int clients)
    {
        var bench = new BenchOptions(options.Postgres, 0, clients, [], options.AppDll, 0);
        await using var app = await AppServer.StartAsync(bench);
        var startsSoon = SystemClock.Instance.GetCurrentInstant().Plus(Duration.FromMinutes(2))
            .InZone(DateTimeZoneProviders.Tzdb[HostZone]).LocalDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        var slug = (await app.CreateWebinarAsync(clients + 1, startsSoon, HostZone)).Split('/')[^2];
        // Attendees 0..N-1 listen and vote (in the clients' process); attendee N asks every question.
        var tokens = await RegisterAsync(app.ConnectionString, slug, clients + 1);
        var tokensFile = Scratch("tokens", tokens[..clients]);
        var hubUrl = new Uri(app.BaseAddress, "/hubs/qa").ToString();

        await using var audience = QaClients.Start();
        var memory = await ConnectMeasuredAsync(app.ProcessId, clients, n => audience.ConnectAsync(hubUrl, n, slug, tokensFile), "app");
        await using var moderator = await QaListener.ConnectAsync(hubUrl, app.StaffToken);
        await moderator.Connection.InvokeAsync<JsonElement>("Join", slug);
        await using var asker = await QaListener.ConnectAsync(hubUrl, tokens[clients]);
        await asker.Connection.InvokeAsync<JsonElement>("Join", slug);

        var ids = new List<string>();
        for (var i = 0; i < options.Approvals; i++)
        {
            var asked = await asker.Connection.InvokeAsync<JsonElement>("Ask", $"bench-{i}", QuestionText, false);
            ids.Add(asked.GetProperty("id").GetString()!);
        }

        var result = await PaceAsync(ids, id => moderator.Connection.InvokeAsync<JsonElement>("Approve", id), audience, clients, options.Patience);
        Console.Error.WriteLine($"app N={clients}: {result}");
        var storm = await VoteStormAsync(options, slug, ids, audience, clients, moderator);
        Console.Error.WriteLine($"vote storm N={clients}: {storm}");
        return (result, memory, storm);
    }

    /// <summary>
    /// Sends one item per 100 ms tick (10/s, steady: a slow answer does not delay the next send) and notes when each was
    /// sent; then waits until every client has every item, or <paramref name="patience"/> passes, and reads the latencies.
    /// </summary>
    private static async Task<DeliveryResult> PaceAsync(List<string> ids, Func<string, Task> send, QaClients audience, int clients, TimeSpan patience)
    {
        var sent = new Dictionary<string, long>();
        var calls = new List<Task>();
        using (var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100)))
        {
            foreach (var id in ids)
            {
                await timer.WaitForNextTickAsync();
                sent[id] = Stopwatch.GetTimestamp();
                calls.Add(send(id));
            }
        }

        await Task.WhenAll(calls);
        var idsFile = Scratch("ids", ids);
        var expected = (long)ids.Count * clients;
        var waited = Stopwatch.StartNew();
        while (await audience.CountAsync(idsFile) < expected && waited.Elapsed < patience) await Task.Delay(500);

        var latenciesFile = Scratch("latencies", []);
        var last = await audience.LatenciesAsync(Scratch("sent", sent.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value}"))), latenciesFile);
        var latencies = File.ReadAllLines(latenciesFile).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToList();
        latencies.Sort();
        var seconds = Stopwatch.GetElapsedTime(sent.Values.Min(), last).TotalSeconds;
        return new DeliveryResult(ids.Count, latencies.Count, expected - latencies.Count,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Count / seconds);
    }

    /// <summary>
    /// <see cref="QaBenchOptions.VotesPerSecond"/> for <see cref="QaBenchOptions.StormSeconds"/> from the clients' process,
    /// each vote a distinct (attendee, question) pair; then the moderator's snapshot and every client's last counts are
    /// compared with what was sent.
    /// </summary>
    private static async Task<VoteStorm> VoteStormAsync(QaBenchOptions options, string slug, List<string> ids, QaClients audience, int clients, QaListener moderator)
    {
        var total = options.VotesPerSecond * options.StormSeconds;
        var expected = new Dictionary<string, int>();
        for (var k = 0; k < total; k++) expected[ids[k / clients]] = expected.GetValueOrDefault(ids[k / clients]) + 1;
        var (sent, failed, sending, acknowledged, answerMs) = await audience.VotesAsync(Scratch("ids", ids), options.VotesPerSecond, options.StormSeconds);

        var expectedFile = Scratch("expected", expected.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key} {e.Value}")));
        var waited = Stopwatch.StartNew();
        int converged;
        do
        {
            await Task.Delay(500);
            converged = await audience.ConvergedAsync(expectedFile);
        }
        while (converged < clients && waited.Elapsed < options.Patience);

        var snapshot = await moderator.Connection.InvokeAsync<JsonElement>("Join", slug);
        var counted = snapshot.EnumerateArray().ToDictionary(q => q.GetProperty("id").GetString()!, q => q.GetProperty("votes").GetInt32());
        var wrong = expected.Count(e => counted.GetValueOrDefault(e.Key) != e.Value);
        return new VoteStorm(sent, failed, sending, acknowledged, expected.Count, wrong, converged, answerMs[0], answerMs[1], answerMs[2]);
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

    /// <summary>
    /// Connects all clients and returns what the server keeps per connection: live heap after a full GC, and working set.
    /// The first tenth connect before the "before" reading, so that what every server pays once (JIT of the connect
    /// path, pools, caches) is not spread over the connections; each reading follows a 3 s pause to let the server settle.
    /// The types that grew most per connection go to stderr: what the server keeps for each one.
    /// </summary>
    private static async Task<PerConnection> ConnectMeasuredAsync(int processId, int clients, Func<int, Task> connect, string server)
    {
        var first = clients / 10;
        await connect(first);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var before = await ServerMemory.ReadAsync(processId);
        await connect(clients - first);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = await ServerMemory.ReadAsync(processId);
        var rest = clients - first;
        Console.Error.WriteLine($"{server}: live heap {before.LiveBytes / 1048576.0:0.0} MiB -> {after.LiveBytes / 1048576.0:0.0} MiB, " +
            $"working set {before.WorkingSet / 1048576} MiB -> {after.WorkingSet / 1048576} MiB for {rest} more connections; grew most per connection:");
        foreach (var line in after.GrowthPerConnection(before, rest, 25)) Console.Error.WriteLine($"  {line}");
        var everything = Path.Combine(Path.GetTempPath(), $"webinars-bench-qa-growth-{server.Replace(' ', '-')}-{clients}.txt");
        File.WriteAllLines(everything, after.GrowthPerConnection(before, rest, int.MaxValue));
        Console.Error.WriteLine($"  (every type: {everything})");
        return new PerConnection((after.LiveBytes - before.LiveBytes) / 1024.0 / rest, (after.WorkingSet - before.WorkingSet) / 1024.0 / rest);
    }

    private static string Scratch(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(Path.GetTempPath(), $"webinars-bench-qa-{name}-{Environment.ProcessId}.txt");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

public sealed record PerConnection(double LiveKiB, double WorkingSetKiB);

/// <param name="AnswerP50Ms">Each vote's time from its send to its answer (p50, p99, max).</param>
public sealed record VoteStorm(int Sent, int Failed, double SendSeconds, double AckSeconds, int Questions, int WrongInSnapshot, int Converged,
    double AnswerP50Ms, double AnswerP99Ms, double AnswerMaxMs);

public sealed record QaBenchOptions(string Postgres, int[] Clients, int Approvals, int VotesPerSecond, int StormSeconds, string AppDll, TimeSpan Patience)
{
    public static QaBenchOptions? Parse(string[] args)
    {
        var postgres = Environment.GetEnvironmentVariable("WEBINARS_TEST_POSTGRES");
        int[] clients = [1000, 2000, 5000];
        var approvals = 200;
        // How long after the last send every client may take to have every message (a client side that cannot keep up
        // on a shared machine needs more than a minute at 5,000 clients).
        var patience = TimeSpan.FromSeconds(60);
        var appDll = BenchOptions.Parse(["--postgres", "-"])!.AppDll;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--postgres": postgres = args[i + 1]; break;
                case "--clients": clients = args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--approvals": approvals = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--app": appDll = Path.GetFullPath(args[i + 1]); break;
                case "--patience": patience = TimeSpan.FromSeconds(int.Parse(args[i + 1], CultureInfo.InvariantCulture)); break;
                default: return null;
            }
        }

        return string.IsNullOrEmpty(postgres) ? null : new QaBenchOptions(postgres, clients, approvals, 1000, 10, appDll, patience);
    }
}

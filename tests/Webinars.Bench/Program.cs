using Webinars.Bench;

// Registration rush against the real app on PostgreSQL, next to the ceiling of this machine and database: a minimal
// endpoint that does one INSERT per request. Usage (from the repo root, after `dotnet build -c Release`):
//   dotnet run -c Release --project tests/Webinars.Bench -- --postgres "Host=127.0.0.1;Port=5432;Username=postgres" [--requests 4000] [--capacity 1000]
if (await CeilingServer.ServeIfAskedAsync(args) || await QaCeilingServer.ServeIfAskedAsync(args) || await QaClients.ServeIfAskedAsync(args)) return 0;
// `qa [--clients 1000,2000] [--approvals 200] [--postgres …]`: live Q&A delivery and a vote storm against a bare hub (QaBench.cs).
if (args.FirstOrDefault() == "qa" && QaBenchOptions.Parse(args[1..]) is { } qa) return await QaBench.RunAsync(qa);
// `mail [--messages N] [--connections C] [--providers sqlite,postgres] [--reminders false] [--warmup N] [--postgres …]`: the outbox's delivery against a bare MailKit loop (MailBench.cs).
// `reads [--seconds 10] [--connections 50] [--trickle 5] [--providers Sqlite,Postgres]`: the anonymous read path against /health/live (ReadBench.cs).
if (args.FirstOrDefault() == "reads" && ReadBenchOptions.Parse(args[1..]) is { } reads) return await ReadBench.RunAsync(reads);
if (args.FirstOrDefault() == "mail" && MailBenchOptions.Parse(args[1..]) is { } mail)
{
    return await MailBench.RunAsync(mail.Bench, mail.Messages, mail.Connections, mail.Providers, mail.Reminders);
}

// `pay [--events 10000] [--concurrency 50] [--requests N] [--capacity C] [--postgres …]`: paid rush and webhook storm against a 50 ms fake Stripe (PayBench.cs).
if (args.FirstOrDefault() == "pay" && PayBenchOptions.Parse(args[1..]) is { } pay) return await PayBench.RunAsync(pay);

var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: Webinars.Bench --postgres <server connection string> [--requests N] [--capacity C] [--concurrency 50,200] [--warmup W]");
    return 2;
}

var results = new List<RushResult>();
await using (var ceiling = await CeilingServer.StartAsync(options))
{
    await WarmUpAsync(ceiling.RegistrationUrl, "ceiling");
    foreach (var concurrency in options.Concurrency)
    {
        results.Add(await Rush.RunAsync("ceiling: one INSERT", ceiling.RegistrationUrl, concurrency, options.Requests, emailPrefix: $"c{concurrency}"));
    }
}

await using (var app = await AppServer.StartAsync(options))
{
    await WarmUpAsync(await app.CreateWebinarAsync(options.Capacity), "app");
    foreach (var concurrency in options.Concurrency)
    {
        var url = await app.CreateWebinarAsync(options.Capacity);
        var result = await Rush.RunAsync("app: POST registrations", url, concurrency, options.Requests, emailPrefix: $"a{concurrency}");
        var (confirmed, seatsTaken) = await app.CountConfirmedAsync(url);
        results.Add(result with { Confirmed = confirmed, Capacity = options.Capacity, SeatsTaken = seatsTaken });
    }
}

Report.Print(results, options);
return results.Any(r => r.Confirmed > r.Capacity) ? 1 : 0;

// Both servers get the same untimed rushes first (at least six, at most twelve), until three rounds in a row are not 3 %
// faster than the best before them: the JIT has then finished optimising what the rush runs hot (on two cores that takes
// tens of thousands of requests, and the app's first rounds can dip before they climb), so the runs above measure
// steady state, not start-up.
async Task WarmUpAsync(string url, string name)
{
    if (options.WarmUp == 0) return;
    double best = 0;
    var stalls = 0;
    for (var round = 1; round <= 12 && (round <= 6 || stalls < 3); round++)
    {
        var result = await Rush.RunAsync("warm-up", url, options.Concurrency.Min(), options.WarmUp, emailPrefix: $"warm-{name}-{round}");
        Console.Error.WriteLine($"warm-up {name} round {round}: {result.PerSecond:0} registrations/s");
        stalls = result.PerSecond < best * 1.03 ? stalls + 1 : 0;
        best = Math.Max(best, result.PerSecond);
    }

    await Task.Delay(TimeSpan.FromSeconds(2));
}

using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Webinars.Bench;

/// <summary>
/// The ceiling: the least an HTTP registration can cost here — parse JSON, one INSERT, answer 201. It runs as its own
/// process, as the app does, so that neither server shares the load generator's process (its thread pool, its GC).
/// </summary>
public sealed class CeilingServer : IAsyncDisposable
{
    private const string ServeFlag = "--serve-ceiling";
    private readonly Process _process;
    private readonly string _server;
    private readonly string _database;

    private CeilingServer(Process process, string server, string database, string url)
    {
        _process = process;
        _server = server;
        _database = database;
        RegistrationUrl = url;
    }

    public string RegistrationUrl { get; }

    public static async Task<CeilingServer> StartAsync(BenchOptions options)
    {
        var database = $"webinars_bench_ceiling_{Guid.NewGuid():N}";
        await Databases.CreateAsync(options.Postgres, database);
        var connectionString = Databases.For(options.Postgres, database);
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        await using (var create = dataSource.CreateCommand(
            "CREATE TABLE registrations (id uuid PRIMARY KEY, name text NOT NULL, email text NOT NULL UNIQUE, organization text, time_zone text)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(CeilingServer).Assembly.Location);
        info.ArgumentList.Add(ServeFlag);
        info.ArgumentList.Add(connectionString);
        var process = Process.Start(info)!;
        var url = await process.StandardOutput.ReadLineAsync()
            ?? throw new InvalidOperationException("The ceiling server exited before it listened.");
        return new CeilingServer(process, options.Postgres, database, $"{url}/register");
    }

    /// <summary>True when this process was started to be the ceiling server (it then serves until killed).</summary>
    public static async Task<bool> ServeIfAskedAsync(string[] args)
    {
        if (args is not [ServeFlag, var connectionString]) return false;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/register", async (Attendee a) =>
        {
            await using var insert = dataSource.CreateCommand("INSERT INTO registrations VALUES ($1, $2, $3, $4, $5)");
            insert.Parameters.Add(new() { Value = Guid.NewGuid() });
            insert.Parameters.Add(new() { Value = a.Name });
            insert.Parameters.Add(new() { Value = a.Email });
            insert.Parameters.Add(new() { Value = a.Organization });
            insert.Parameters.Add(new() { Value = a.TimeZone });
            await insert.ExecuteNonQueryAsync();
            return Results.Created();
        });
        await app.StartAsync();
        Console.WriteLine(app.Urls.First());
        await app.WaitForShutdownAsync();
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        await Databases.DropAsync(_server, _database);
    }

    private sealed record Attendee(string Name, string Email, string Organization, string TimeZone);
}

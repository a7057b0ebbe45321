using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Webinars.Bench;

/// <summary>The ceiling: the least an HTTP registration can cost here — parse JSON, one INSERT, answer 201.</summary>
public sealed class CeilingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _server;
    private readonly string _database;

    private CeilingServer(WebApplication app, NpgsqlDataSource dataSource, string server, string database, string url)
    {
        _app = app;
        _dataSource = dataSource;
        _server = server;
        _database = database;
        RegistrationUrl = url;
    }

    public string RegistrationUrl { get; }

    public static async Task<CeilingServer> StartAsync(BenchOptions options)
    {
        var database = $"webinars_bench_ceiling_{Guid.NewGuid():N}";
        await Databases.CreateAsync(options.Postgres, database);
        var dataSource = NpgsqlDataSource.Create(Databases.For(options.Postgres, database));
        await using (var create = dataSource.CreateCommand(
            "CREATE TABLE registrations (id uuid PRIMARY KEY, name text NOT NULL, email text NOT NULL UNIQUE, organization text, time_zone text)"))
        {
            await create.ExecuteNonQueryAsync();
        }

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
        return new CeilingServer(app, dataSource, options.Postgres, database, $"{app.Urls.First()}/register");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _dataSource.DisposeAsync();
        await Databases.DropAsync(_server, _database);
    }

    private sealed record Attendee(string Name, string Email, string Organization, string TimeZone);
}

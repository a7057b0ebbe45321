using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;
using Webinars.LiveQa;

namespace Webinars.Tests.LiveQa;

/// <summary>The app with every log category at Trace, its log lines kept.</summary>
public sealed class SqliteVerboseQaApp : SqliteQaApp
{
    public ConcurrentQueue<string> Lines { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.AddProvider(new KeepingProvider(Lines)));
    }

    private sealed class KeepingProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Keeper(categoryName, lines);

        public void Dispose()
        {
        }
    }

    private sealed class Keeper(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{category} {formatter(state, exception)} {values} {exception}");
        }
    }
}

/// <summary>The attendee token in the WebSocket's query string works, and never reaches the logs.</summary>
public sealed class QaTokenLoggingTests(SqliteVerboseQaApp app) : IClassFixture<SqliteVerboseQaApp>
{
    [Fact]
    public async Task WebSocketWithQueryToken_Joins_TokenNeverLogged()
    {
        var world = await QaWorld.CreateAsync(app);
        var (_, token) = await world.RegisterAsync("Query Token");
        var connection = new HubConnectionBuilder().WithUrl(new Uri(app.Server.BaseAddress, "/hubs/qa"), o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
            // As a browser does: the token in the query string, not a header.
            o.WebSocketFactory = async (context, ct) =>
            {
                var uri = new UriBuilder(context.Uri) { Query = $"access_token={token}" }.Uri;
                return await app.Server.CreateWebSocketClient().ConnectAsync(uri, ct);
            };
        }).Build();
        await using (connection)
        {
            await connection.StartAsync();
            var snapshot = await connection.InvokeAsync<LiveQuestion[]>("Join", world.Slug);
            var asked = await connection.InvokeAsync<LiveQuestion>("Ask", "q1", "Is the token safe?", false);

            Assert.Empty(snapshot);
            Assert.True(asked.Mine);
        }

        Assert.NotEmpty(app.Lines);
        Assert.DoesNotContain(app.Lines, line => line.Contains(token, StringComparison.Ordinal));
    }
}

using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Webinars.Bench;

/// <summary>
/// The bare hub for the Q&amp;A bench: a minimal ASP.NET Core app, its own process like the app, with one hub that relays
/// whatever question it is given to every connection — no database, no groups, no authentication. What the app adds
/// on top of this (auth, the commit, per-audience views) is what the ratios measure.
/// </summary>
public sealed class QaCeilingServer : IAsyncDisposable
{
    private const string ServeFlag = "--serve-qa-ceiling";
    private readonly Process _process;

    private QaCeilingServer(Process process, string url)
    {
        _process = process;
        HubUrl = $"{url}/hub";
    }

    public string HubUrl { get; }

    public int ProcessId => _process.Id;

    public static async Task<QaCeilingServer> StartAsync()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(QaCeilingServer).Assembly.Location);
        info.ArgumentList.Add(ServeFlag);
        // The app (Web SDK) runs with server GC and the bench (console SDK) without; memory per connection compares only
        // under the same collector.
        info.Environment["DOTNET_gcServer"] = "1";
        var process = Process.Start(info)!;
        var url = await process.StandardOutput.ReadLineAsync()
            ?? throw new InvalidOperationException("The bare hub exited before it listened.");
        return new QaCeilingServer(process, url);
    }

    /// <summary>True when this process was started to be the bare hub (it then serves until killed).</summary>
    public static async Task<bool> ServeIfAskedAsync(string[] args)
    {
        if (args is not [ServeFlag]) return false;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSignalR();
        var app = builder.Build();
        app.UseWebSockets();
        app.MapHub<BroadcastHub>("/hub");
        await app.StartAsync();
        Console.WriteLine(app.Urls.First());
        await app.WaitForShutdownAsync();
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private sealed class BroadcastHub : Hub
    {
        // The app sends an approved question to attendees as QuestionAdded; the bare hub sends the same bytes the same way.
        public async Task<JsonElement> Broadcast(JsonElement question)
        {
            await Clients.All.SendAsync("QuestionAdded", question);
            return question;
        }
    }
}

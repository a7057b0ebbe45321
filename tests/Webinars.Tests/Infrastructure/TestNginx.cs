using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Webinars.Tests.Infrastructure;

/// <summary>
/// nginx started from the shipped <c>infra/nginx.conf</c> (the file compose mounts), rendered for loopback: its
/// <c>${WEBINARS_WEB1}</c>, <c>${WEBINARS_WEB2}</c> and <c>${WEBINARS_LISTEN}</c> placeholders become the two app
/// instances' addresses and a free port (never 80, so a dropped port shows). The rest of the file is used as is,
/// inside an <c>http { }</c> block as the nginx image's own main configuration includes it. The binary comes from
/// WEBINARS_TEST_NGINX (set by infra/services.sh) or /usr/sbin/nginx; a missing nginx is a failure, never a skip.
/// </summary>
public sealed partial class TestNginx : IDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private TestNginx(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>The shipped configuration, copied beside the tests at build time.</summary>
    public static string ShippedConfig => Path.Combine(AppContext.BaseDirectory, "infra", "nginx.conf");

    /// <summary>The shipped configuration with its placeholders filled; fails on a placeholder it does not know.</summary>
    public static string Render(string web1, string web2, string listen)
    {
        var values = new Dictionary<string, string> { ["WEBINARS_WEB1"] = web1, ["WEBINARS_WEB2"] = web2, ["WEBINARS_LISTEN"] = listen };
        var text = File.ReadAllText(ShippedConfig);
        return Placeholder().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var v)
            ? v
            : throw new InvalidOperationException($"infra/nginx.conf has a placeholder the tests do not fill: {m.Value}"));
    }

    /// <summary>Starts nginx on <paramref name="port"/> (a free one when null) in front of the two instances.</summary>
    public static async Task<TestNginx> StartAsync(Uri web1, Uri web2, int? port = null)
    {
        var binary = Environment.GetEnvironmentVariable("WEBINARS_TEST_NGINX") is { Length: > 0 } p ? p : "/usr/sbin/nginx";
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"nginx not found at {binary}; install it (apt-get install nginx-light) or set WEBINARS_TEST_NGINX.");
        }

        var listen = port ?? AppProcess.FreePort();
        var folder = Directory.CreateTempSubdirectory("webinars-nginx-").FullName;
        File.WriteAllText(Path.Combine(folder, "default.conf"), Render(web1.Authority, web2.Authority, $"127.0.0.1:{listen}"));
        File.WriteAllText(Path.Combine(folder, "nginx.conf"), MainConfig(folder));
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-p", folder, "-c", Path.Combine(folder, "nginx.conf"), "-e", Path.Combine(folder, "error.log") })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary}.");
        var nginx = new TestNginx(process, folder, listen);
        try
        {
            await nginx.WaitUntilListeningAsync();
            return nginx;
        }
        catch
        {
            nginx.Dispose();
            throw;
        }
    }

    /// <summary>What nginx logged (errors, upstream failures), for assertion messages.</summary>
    public string ErrorLog
    {
        get
        {
            var path = Path.Combine(_folder, "error.log");
            return File.Exists(path) ? File.ReadAllText(path) : "";
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // a worker still closing a temp file; the folder is under /tmp
        }
    }

    // The nginx image's main file, reduced to what a test needs: foreground, one worker, files in the test's folder.
    // As root the workers stay root so they can use that folder (the image runs them as `nginx`).
    private static string MainConfig(string folder) => string.Create(CultureInfo.InvariantCulture, $$"""
        {{(Environment.UserName == "root" ? "user root;" : "")}}
        daemon off;
        master_process on;
        worker_processes 1;
        pid {{folder}}/nginx.pid;
        events { worker_connections 4096; }
        http {
            access_log off;
            client_body_temp_path {{folder}}/body;
            proxy_temp_path {{folder}}/proxy;
            fastcgi_temp_path {{folder}}/fastcgi;
            uwsgi_temp_path {{folder}}/uwsgi;
            scgi_temp_path {{folder}}/scgi;
            include {{folder}}/default.conf;
        }
        """);

    private async Task WaitUntilListeningAsync()
    {
        var until = Environment.TickCount64 + 30_000;
        while (true)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"nginx exited with code {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()}\n{ErrorLog}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (Environment.TickCount64 < until)
            {
                await Task.Delay(100);
            }
        }
    }

    [GeneratedRegex(@"\$\{([A-Za-z0-9_]+)\}")]
    private static partial Regex Placeholder();
}

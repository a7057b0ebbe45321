using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Webinars.Tests.Infrastructure;

/// <summary>The output and exit code of a command run to completion.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error);

/// <summary>
/// The built app (<c>Webinars.Web.dll</c>) as a real, separate process, as an operator runs it: <c>dotnet Webinars.Web.dll</c>
/// with settings in environment variables. Serves until killed; <see cref="Kill"/> is SIGKILL (kill -9), so nothing in
/// the app gets to clean up. Standard output and error are kept (the last lines) for failure messages. Disposing always
/// stops the process.
/// </summary>
public sealed class AppProcess : IDisposable
{
    private const int KeptLines = 300;
    private readonly Process _process;
    private readonly Queue<string> _lines = new();

    private AppProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process wrote to standard output and error, for assertion messages.</summary>
    public string Output
    {
        get
        {
            lock (_lines) return string.Join('\n', _lines);
        }
    }

    /// <summary>
    /// The app's own build output, <c>src/Webinars.Web/bin/&lt;Configuration&gt;/net10.0/Webinars.Web.dll</c>, for the
    /// configuration this test assembly was built with (Release under ./test.sh, Debug under a plain dotnet test); the
    /// copy beside the test assembly (the project reference puts it there) when the source tree is not around.
    /// </summary>
    public static string AppDll { get; } = FindAppDll();

    /// <summary>
    /// How long a start or a command may take before it counts as hung. Generous: a start takes a few seconds on an idle
    /// machine, but on a shared one, busy compiling, it was seen to pass a minute; only a hang should fail a test.
    /// </summary>
    public const int PatienceSeconds = 180;

    /// <summary>A free loopback port (free now; taken by whoever binds it first).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a command of the app (<c>users add …</c>) to its end; kills it and fails when it takes longer than <paramref name="timeout"/>.</summary>
    public static async Task<CommandResult> RunCommandAsync(IReadOnlyDictionary<string, string?> environment, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = StartInfo(environment, arguments);
        // Were it to serve, it would do so here and never exit: the timeout catches that.
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {AppDll}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"`{string.Join(' ', start.ArgumentList)}` did not exit within {timeout.TotalSeconds:0} s (did it start a web server?):\n{await output}\n{await error}");
        }

        return new CommandResult(process.ExitCode, await output, await error);
    }

    /// <summary>Starts the app on <paramref name="port"/> (a free one when null) and waits until /health/ready answers 200.</summary>
    public static async Task<AppProcess> StartAsync(IReadOnlyDictionary<string, string?> environment, int? port = null, int readySeconds = PatienceSeconds)
    {
        var chosen = port ?? FreePort();
        var start = StartInfo(environment, ["--urls", $"http://127.0.0.1:{chosen}"]);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var app = new AppProcess(process, chosen);
        process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        try
        {
            if (!process.Start()) throw new InvalidOperationException($"Could not start {AppDll}.");
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await app.WaitUntilReadyAsync(readySeconds);
            return app;
        }
        catch
        {
            app.Dispose();
            throw;
        }
    }

    /// <summary>A client for the app; no redirects followed, so tests see them.</summary>
    public HttpClient CreateClient(int maxConnections = 16) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = maxConnections, UseCookies = false })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>SIGKILL for the process and anything it started; returns once it is gone.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException($"The app (pid {_process.Id}) did not die within 10 s of SIGKILL.");
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
            // never started, or already gone
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(int seconds)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var until = Environment.TickCount64 + (seconds * 1000L);
        while (true)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The app exited with code {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // listening but slow to answer
            }

            if (Environment.TickCount64 >= until)
            {
                Assert.Fail($"The app was not ready on {BaseAddress} within {seconds} s:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Enqueue(line);
            while (_lines.Count > KeptLines) _lines.Dequeue();
        }
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?> environment, IEnumerable<string> arguments)
    {
        // The dotnet that runs the tests (the CLI says which), else the one on PATH.
        var start = new ProcessStartInfo(System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(AppDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(AppDll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Nothing from the test host's own settings leaks in; what the app gets is what the test says.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Site__BaseUrl"] = "http://localhost:5080"; // required outside Development; tests that link set their own
        foreach (var (key, value) in TestCertificate.Settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return start;
    }

    private static string FindAppDll()
    {
        const string name = "Webinars.Web.dll";
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        // …/tests/Webinars.Tests/bin/<Configuration>/<tfm>
        var framework = here.Name;
        var configuration = here.Parent?.Name;
        for (var dir = here; dir is not null && configuration is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Webinars.Web", "bin", configuration, framework, name);
            if (File.Exists(candidate)) return candidate;
        }

        var beside = Path.Combine(AppContext.BaseDirectory, name);
        return File.Exists(beside) ? beside : throw new FileNotFoundException($"{name} was found neither in src/Webinars.Web/bin/{configuration}/{framework} nor beside the tests.", beside);
    }
}

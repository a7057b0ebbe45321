using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Webinars.Tests.Infrastructure;

/// <summary>
/// A redis-server of the test's own (not the shared WEBINARS_TEST_REDIS), so the test can stop it and start it
/// again on the same port. Nothing is persisted: like production's, it only carries the SignalR backplane.
/// </summary>
public sealed class TestRedisServer : IDisposable
{
    private Process? _process;

    public int Port { get; } = AppProcess.FreePort();

    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public async Task StartAsync()
    {
        if (_process is { HasExited: false }) return;
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server not found; install it (apt-get install redis-server) or run ./test.sh.", e);
        }

        // Drained so a full pipe never blocks it.
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var until = Environment.TickCount64 + 30_000;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (Environment.TickCount64 < until && !_process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Kills the server (its clients see the connection drop, as on a crash).</summary>
    public void Stop()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        _process = null;
    }

    public void Dispose() => Stop();
}

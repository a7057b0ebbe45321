using System.Net;
using System.Net.Sockets;
using System.Text;
using Webinars.Email;

namespace Webinars.Tests.Email;

/// <summary>
/// The SMTP sender's connections (decision 0021): connected by the C library's calls on Linux, they carry data both
/// ways, block in the kernel with the timeouts given, each address is tried in turn, and a refused or unknown address
/// is a clear socket error.
/// </summary>
public sealed class BlockingSocketTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Connect_ToListener_CarriesDataBothWaysAndBlocks()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        using var socket = BlockingSocket.Connect("127.0.0.1", port, Timeout);
        using var server = await listener.AcceptSocketAsync();

        Assert.True(socket.Connected);
        Assert.True(socket.Blocking);
        Assert.True(socket.NoDelay);
        Assert.Equal(port, ((IPEndPoint)socket.RemoteEndPoint!).Port);
        socket.Send("EHLO test\r\n"u8);
        Assert.Equal("EHLO test\r\n", await ReceiveAsync(server, 11));
        await server.SendAsync("250 ok\r\n"u8.ToArray());
        var buffer = new byte[8];
        Assert.Equal(8, socket.Receive(buffer));
        Assert.Equal("250 ok\r\n", Encoding.ASCII.GetString(buffer));
    }

    [Fact]
    public async Task Receive_NothingSent_TimesOutAfterTheReceiveTimeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var socket = BlockingSocket.Connect("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, Timeout);
        using var server = await listener.AcceptSocketAsync();
        socket.ReceiveTimeout = 200;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<SocketException>(() => socket.Receive(new byte[1]));

        Assert.Equal(SocketError.TimedOut, error.SocketErrorCode);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Connect_FirstAddressRefuses_TriesTheNextUntilOneAnswers()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        // 127.0.0.2 is loopback too, with nothing listening on the port: refused, as a host's IPv6 address often is.
        using var socket = BlockingSocket.Connect([IPAddress.Parse("127.0.0.2"), IPAddress.Loopback], port, Timeout);

        Assert.True(socket.Connected);
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)socket.RemoteEndPoint!).Address);
    }

    [Fact]
    public void Connect_Localhost_Connects()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();

        using var socket = BlockingSocket.Connect("localhost", ((IPEndPoint)listener.LocalEndpoint).Port, Timeout);

        Assert.True(socket.Connected);
    }

    [Fact]
    public void Connect_NothingListening_RefusedNamingTheAddress()
    {
        var port = FreePort();

        var error = Assert.Throws<SocketException>(() => BlockingSocket.Connect("127.0.0.1", port, Timeout));

        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Connect_UnknownHost_IsASocketError()
    {
        Assert.Throws<SocketException>(() => BlockingSocket.Connect("no-such-host.invalid", 25, Timeout));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> ReceiveAsync(Socket socket, int length)
    {
        var buffer = new byte[length];
        var read = 0;
        while (read < length) read += await socket.ReceiveAsync(buffer.AsMemory(read));
        return Encoding.ASCII.GetString(buffer);
    }
}

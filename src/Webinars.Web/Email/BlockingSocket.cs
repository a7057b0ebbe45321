using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Webinars.Email;

/// <summary>
/// A TCP connection whose reads block in the kernel, for the SMTP sender's own threads (decision 0021). .NET's
/// <see cref="Socket.Connect(EndPoint)"/> on Linux makes every socket non-blocking and registers it with the runtime's
/// epoll thread; each answer from the server then woke that thread and a thread-pool worker before the sender, which
/// cost more CPU than the app's own work on a message. Here the socket is created and connected with the C library's
/// calls and handed to .NET as it is, so the kernel wakes the sender directly. Elsewhere than 64-bit Linux it is an
/// ordinary connected <see cref="Socket"/>. Everything here blocks the calling thread (the sender's own).
/// </summary>
internal static class BlockingSocket
{
    private const int SolSocket = 1;
    private const int SoSndTimeo = 21;
    private const int Interrupted = 4; // EINTR

    /// <summary>
    /// Connects to the first address of <paramref name="host"/> that answers; <paramref name="timeout"/> bounds each
    /// attempt (the kernel's own send timeout, which Linux applies to <c>connect</c>) and every send after.
    /// </summary>
    /// <exception cref="SocketException">No address accepted the connection.</exception>
    public static Socket Connect(string host, int port, TimeSpan timeout)
    {
        var addresses = Dns.GetHostAddresses(host);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound, $"{host} has no address.");
        return Connect(addresses, port, timeout);
    }

    /// <summary>Tries <paramref name="addresses"/> in order; the last one's failure if none accepts.</summary>
    internal static Socket Connect(IReadOnlyList<IPAddress> addresses, int port, TimeSpan timeout)
    {
        SocketException? last = null;
        foreach (var address in addresses)
        {
            try
            {
                var endPoint = new IPEndPoint(address, port);
                return OperatingSystem.IsLinux() && Environment.Is64BitProcess ? ConnectBlocking(endPoint, timeout) : ConnectOrdinary(endPoint);
            }
            catch (SocketException e)
            {
                last = e;
            }
        }

        throw last!;
    }

    private static Socket ConnectOrdinary(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Connect(endPoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A connect a signal interrupted (the runtime signals its threads) is begun again on a new socket.</summary>
    private static Socket ConnectBlocking(IPEndPoint endPoint, TimeSpan timeout)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (ConnectOnce(endPoint, timeout, lastAttempt: attempt == 3) is { } socket) return socket;
        }
    }

    /// <summary>The connected socket; null when a signal interrupted the connect and this is not the last attempt.</summary>
    private static Socket? ConnectOnce(IPEndPoint endPoint, TimeSpan timeout, bool lastAttempt)
    {
        var family = endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? 10 : 2; // AF_INET6, AF_INET on Linux
        var fd = socket(family, 1 | 0x80000, 6); // SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP
        if (fd < 0) throw Failure("socket", endPoint);
        var handle = new SafeSocketHandle((IntPtr)fd, ownsHandle: true);
        try
        {
            var limit = new TimeValue(timeout);
            if (setsockopt(fd, SolSocket, SoSndTimeo, limit, Marshal.SizeOf<TimeValue>()) != 0) throw Failure("setsockopt", endPoint);
            // The address as the platform lays it out (.NET's own serialisation is the native sockaddr).
            var address = endPoint.Serialize();
            var bytes = new byte[address.Size];
            for (var i = 0; i < bytes.Length; i++) bytes[i] = address[i];
            if (connect(fd, bytes, bytes.Length) != 0)
            {
                if (Marshal.GetLastPInvokeError() == Interrupted && !lastAttempt)
                {
                    handle.Dispose();
                    return null;
                }

                throw Failure("connect", endPoint);
            }

            return new Socket(handle) { NoDelay = true };
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static SocketException Failure(string call, IPEndPoint endPoint)
    {
        var errno = Marshal.GetLastPInvokeError();
        var error = errno switch
        {
            111 => SocketError.ConnectionRefused, // ECONNREFUSED
            110 or 115 or 11 => SocketError.TimedOut, // ETIMEDOUT, EINPROGRESS (the send timeout ran out), EAGAIN
            101 => SocketError.NetworkUnreachable, // ENETUNREACH
            113 => SocketError.HostUnreachable, // EHOSTUNREACH
            _ => SocketError.SocketError,
        };
        return new SocketException((int)error, $"{call} to {endPoint} failed: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary><c>struct timeval</c> on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct TimeValue(TimeSpan span)
    {
        private readonly long _seconds = (long)span.TotalSeconds;
        private readonly long _microseconds = span.Microseconds + (span.Milliseconds * 1000L);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int socket(int domain, int type, int protocol);

    [DllImport("libc", SetLastError = true)]
    private static extern int setsockopt(int fd, int level, int name, in TimeValue value, int length);

    [DllImport("libc", SetLastError = true)]
    private static extern int connect(int fd, byte[] address, int length);
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using NodaTime;

namespace Webinars.Infrastructure;

/// <summary>
/// Time-ordered ids (UUIDv7, RFC 9562), laid out as <see cref="Guid.CreateVersion7()"/> lays them out: 48 bits of Unix
/// milliseconds, then 74 random bits. The random bits come from a per-thread buffer of cryptographically secure bytes
/// refilled 4 KiB at a time; <see cref="Guid.CreateVersion7()"/> reads the system's random source for every id, and an
/// entity's <c>Id</c> initialiser runs for every row EF Core loads as well as for every row made, so loading a batch of
/// outbox messages and their registrations cost a system call per row (decision 0023).
/// </summary>
public static class Ids
{
    private const int PoolBytes = 4096;

    [ThreadStatic]
    private static byte[]? Pool;

    [ThreadStatic]
    private static int Used;

    /// <summary>A new id for now.</summary>
    public static Guid NewV7() => NewV7(SystemClock.Instance.GetCurrentInstant());

    /// <summary>A new id for the instant <paramref name="at"/> (its milliseconds since the Unix epoch).</summary>
    public static Guid NewV7(Instant at)
    {
        Span<byte> bytes = stackalloc byte[16];
        // The milliseconds in the first six bytes, big-endian; the two bytes after them are overwritten below.
        BinaryPrimitives.WriteInt64BigEndian(bytes, at.ToUnixTimeMilliseconds() << 16);
        FillRandom(bytes[6..]);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F)); // version 7
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F)); // variant 10
        return new Guid(bytes, bigEndian: true);
    }

    private static void FillRandom(Span<byte> into)
    {
        var pool = Pool;
        if (pool is null || Used + into.Length > pool.Length)
        {
            pool = Pool ??= new byte[PoolBytes];
            RandomNumberGenerator.Fill(pool);
            Used = 0;
        }

        pool.AsSpan(Used, into.Length).CopyTo(into);
        Used += into.Length;
    }
}

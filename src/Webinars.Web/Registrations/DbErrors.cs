using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Webinars.Registrations;

/// <summary>Recognises the few database errors the registration flow handles, on both providers.</summary>
internal static class DbErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    public static bool IsUniqueViolation(Exception e) => e switch
    {
        DbUpdateException { InnerException: { } inner } => IsUniqueViolation(inner),
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint && sqlite.Message.Contains("UNIQUE", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>Worth running the whole unit of work again: a lost race on a row, or SQLite still busy after its timeout.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        DbUpdateConcurrencyException => true,
        DbUpdateException { InnerException: { } inner } => IsTransient(inner),
        InvalidOperationException { InnerException: { } inner } => IsTransient(inner),
        SqliteException sqlite => sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked,
        PostgresException pg => pg.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        _ => false,
    };

    /// <summary>
    /// Runs a unit of work again, at most <paramref name="maxAttempts"/> times in all, when it lost a race (a concurrency
    /// token, SQLite busy, a PostgreSQL deadlock); <paramref name="discard"/> forgets the failed attempt's changes first.
    /// </summary>
    public static async Task<T> RetryTransientAsync<T>(
        Func<Task<T>> work, Action discard, ILogger logger, int maxAttempts, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work();
            }
            catch (Exception e) when (attempt < maxAttempts && IsTransient(e))
            {
                discard();
                logger.LogDebug(e, "A change lost a race; attempt {Attempt}", attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), ct);
            }
        }
    }
}

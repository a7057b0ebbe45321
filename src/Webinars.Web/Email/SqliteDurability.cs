using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Webinars.Data;

namespace Webinars.Email;

/// <summary>
/// On SQLite the dispatcher's own connection commits without waiting for the disk (<c>PRAGMA synchronous = NORMAL</c>,
/// WAL mode): its claims, written bodies and sent marks are eight commits a batch, each an fsync of 5–12 ms on a busy
/// disk, taken one at a time under the single writer. A crashed process loses none of them (they are in the WAL when the
/// commit returns); a power loss may roll back the last marks, and those messages go out once more, with the same
/// Message-Id. The setting is per connection and set back before the connection returns to the pool, so registrations
/// and every other write keep the default (docs/decisions/0017-confirmation-throughput.md).
/// </summary>
internal sealed class SqliteDurability
{
    private readonly WebinarsDbContext _db;
    private readonly long _was;

    private SqliteDurability(WebinarsDbContext db, long was) => (_db, _was) = (db, was);

    /// <summary>Opens <paramref name="db"/>'s connection for its scope with relaxed commits; null on PostgreSQL.</summary>
    public static async Task<SqliteDurability?> RelaxAsync(WebinarsDbContext db, CancellationToken ct)
    {
        if (db.IsPostgres) return null;
        await db.Database.OpenConnectionAsync(ct);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        var was = Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        command.CommandText = "PRAGMA synchronous = NORMAL";
        await command.ExecuteNonQueryAsync(ct);
        return new SqliteDurability(db, was);
    }

    /// <summary>Sets the connection back and closes it; if that fails, the pool is emptied rather than hand it on relaxed.</summary>
    public async Task RestoreAsync()
    {
        var connection = _db.Database.GetDbConnection();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA synchronous = {_was}");
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (SqliteException)
        {
            if (connection is SqliteConnection sqlite) SqliteConnection.ClearPool(sqlite);
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }
}

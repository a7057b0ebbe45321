using Npgsql;

namespace Webinars.Bench;

public static class Databases
{
    /// <summary>
    /// The same connection settings for the ceiling and the app: statements prepared, and a pool sized for this machine
    /// (8 per core: on two cores 16 connections kept PostgreSQL busy without 200 backends queueing on one row lock).
    /// </summary>
    public static string For(string server, string database) =>
        new NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = PoolSize, MaxAutoPrepare = 50 }.ConnectionString;

    public static int PoolSize { get; set; } = Math.Max(16, 8 * Environment.ProcessorCount);

    public static async Task CreateAsync(string server, string database) => await ExecuteAsync(server, $"CREATE DATABASE \"{database}\"");

    public static async Task DropAsync(string server, string database)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

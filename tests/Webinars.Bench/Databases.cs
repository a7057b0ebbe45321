using Npgsql;

namespace Webinars.Bench;

public static class Databases
{
    public static string For(string server, string database) =>
        new NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = 250, MaxAutoPrepare = 50 }.ConnectionString;

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

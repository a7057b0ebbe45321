using Npgsql;

namespace Webinars.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests use, from WEBINARS_TEST_POSTGRES (set by ./test.sh). A missing server is a
/// failure, never a skip.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "WEBINARS_TEST_POSTGRES";

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                $"{Variable} is not set. Run ./test.sh (it starts a throwaway PostgreSQL), or `eval \"$(infra/dev-services.sh env)\"` first.");

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database, MaxPoolSize = 100 }.ConnectionString;

    public static async Task CreateDatabaseAsync(string database)
    {
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task DropDatabaseAsync(string database)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}

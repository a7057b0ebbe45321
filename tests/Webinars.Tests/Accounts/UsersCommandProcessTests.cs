using Microsoft.Data.Sqlite;
using Webinars.Tests.Infrastructure;

namespace Webinars.Tests.Accounts;

/// <summary>The admin command as an operator runs it: the real program, its own process, Production settings.</summary>
public sealed class UsersCommandProcessTests : IDisposable
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"webinars-users-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task UsersAdd_InItsOwnProcess_CreatesTheAccountAndExitsWithoutServing()
    {
        var result = await AppProcess.RunCommandAsync(
            new Dictionary<string, string?>
            {
                ["Database__Provider"] = "Sqlite",
                ["ConnectionStrings__Webinars"] = $"Data Source={_database}",
            },
            ["users", "add", "x@example.org", "--role", "Moderator", "--password", "a long enough passphrase"],
            TimeSpan.FromSeconds(AppProcess.PatienceSeconds));

        var stdout = result.Output;
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {stdout}{result.Error}");
        Assert.Contains("Created Moderator account x@example.org.", stdout);
        Assert.DoesNotContain("Password (shown once)", stdout);
        Assert.DoesNotContain("Now listening", stdout);
        Assert.Equal(1L, await ScalarAsync("SELECT COUNT(*) FROM AspNetUsers WHERE Email = 'x@example.org'"));
        Assert.Equal("Moderator", await ScalarAsync(
            "SELECT r.Name FROM AspNetRoles r JOIN AspNetUserRoles ur ON ur.RoleId = r.Id JOIN AspNetUsers u ON u.Id = ur.UserId WHERE u.Email = 'x@example.org'"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _database, _database + "-wal", _database + "-shm" }) File.Delete(f);
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}

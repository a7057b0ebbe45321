using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Webinars.Tests.Accounts;

/// <summary>The admin command as an operator runs it: the real program, its own process, Production settings.</summary>
public sealed class UsersCommandProcessTests : IDisposable
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"webinars-users-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task UsersAdd_InItsOwnProcess_CreatesTheAccountAndExitsWithoutServing()
    {
        var app = Path.Combine(AppContext.BaseDirectory, "Webinars.Web.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { app, "users", "add", "x@example.org", "--role", "Moderator", "--password", "a long enough passphrase" },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["Database__Provider"] = "Sqlite",
                ["ConnectionStrings__Webinars"] = $"Data Source={_database}",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["DOTNET_ENVIRONMENT"] = "Production",
                // Were it to serve, it would do so here and never exit: the timeout below catches that.
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            },
        };

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"users add did not exit within 60 s (did it start a web server?): {await output}{await error}");
        }

        var stdout = await output;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {stdout}{await error}");
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

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Webinars.Accounts;
using Webinars.Tests.Infrastructure;
using Webinars.Tests.Webinars;

namespace Webinars.Tests.Accounts;

/// <summary>POST /api/auth/login and the <c>users add</c> command, on each database.</summary>
public abstract class AccountsTests(WebinarsApp app)
{
    private const string Password = "a long enough passphrase";

    [Fact]
    public async Task Login_RightPassword_ReturnsAWorkingAccessToken()
    {
        var email = await AddUserAsync(Roles.Staff);

        var response = await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = Password });

        var body = await WebinarsApiTests.ReadJsonAsync(response, HttpStatusCode.OK);
        var token = body.GetProperty("accessToken").GetString();
        Assert.False(string.IsNullOrEmpty(token));
        Assert.True(body.GetProperty("expiresIn").GetInt64() > 0);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/topics", new { name = "Made with a token" })).StatusCode);
    }

    [Theory]
    [InlineData(true, "not the passphrase at all")]
    [InlineData(false, Password)]
    public async Task Login_WrongPasswordOrUnknownEmail_Returns401Problem(bool knownEmail, string password)
    {
        var email = knownEmail ? await AddUserAsync(Roles.Staff) : $"nobody-{Guid.NewGuid():N}@example.org";

        var response = await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password });

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.DoesNotContain("accessToken", problem.ToString());
    }

    [Theory]
    [InlineData("{\"password\": \"whatever it is\"}", "email")]
    [InlineData("{\"email\": \"someone@example.org\"}", "password")]
    [InlineData("{\"email\": \"  \", \"password\": \"\"}", "email")]
    [InlineData("{\"email\": \"  \", \"password\": \"\"}", "password")]
    [InlineData("{\"email\": [], \"password\": \"x\"}", "email")]
    public async Task Login_MissingField_Returns400NamingIt(string json, string field)
    {
        var response = await app.CreateClient().PostAsync("/api/auth/login", new StringContent(json, Encoding.UTF8, "application/json"));

        await Problems.AssertFieldErrorAsync(response, field);
    }

    [Fact]
    public async Task UsersAdd_WithPassword_CreatesTheAccountInTheRole()
    {
        var email = NewEmail();
        var (code, output, error) = await RunAsync("users", "add", email, "--role", "moderator", "--password", Password);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal($"Created Moderator account {email}.", output.Trim());
        Assert.True(await IsInRoleAsync(email, Roles.Moderator));
        Assert.False(await IsInRoleAsync(email, Roles.Staff));
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = Password })).StatusCode);
    }

    [Fact]
    public async Task UsersAdd_WithoutPassword_PrintsAGeneratedOneOnce()
    {
        var email = NewEmail();
        var (code, output, _) = await RunAsync("users", "add", email, "--role", "Staff");

        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal($"Created Staff account {email}.", lines[0]);
        var passwordLines = lines.Where(l => l.StartsWith("Password (shown once): ", StringComparison.Ordinal)).ToList();
        var generated = Assert.Single(passwordLines)["Password (shown once): ".Length..];
        Assert.True(generated.Length >= 12, generated);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = generated })).StatusCode);
    }

    [Theory]
    [InlineData("--role", "Admin")]
    [InlineData("--role", "")]
    [InlineData("--password", "a long enough passphrase")]
    public async Task UsersAdd_BadOrMissingRole_Exits2AndSaysWhichRoles(params string[] options)
    {
        var email = NewEmail();
        var (code, output, error) = await RunAsync(["users", "add", email, .. options]);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("--role must be one of Staff, Moderator", error);
        Assert.Null(await FindAsync(email));
    }

    [Theory]
    [InlineData("users")]
    [InlineData("users", "remove", "someone@example.org")]
    [InlineData("users", "add")]
    [InlineData("users", "add", "--role", "Staff")]
    public async Task UsersAdd_BadUsage_Exits2WithUsage(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("usage: users add <email> --role Staff|Moderator", error);
    }

    [Theory]
    [InlineData("--colour", "blue")]
    [InlineData("--role")]
    public async Task UsersAdd_UnknownOrIncompleteOption_Exits2NamingIt(params string[] options)
    {
        var (code, _, error) = await RunAsync(["users", "add", NewEmail(), .. options]);

        Assert.Equal(2, code);
        Assert.Contains($"'{options[0]}'", error);
    }

    [Fact]
    public async Task UsersAdd_DuplicateEmail_Exits1AndSaysSo()
    {
        var email = await AddUserAsync(Roles.Staff);

        var (code, output, error) = await RunAsync("users", "add", email, "--role", "Moderator", "--password", "another long passphrase");

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains("already taken", error);
        Assert.False(await IsInRoleAsync(email, Roles.Moderator));
    }

    [Fact]
    public async Task UsersAdd_ShortPassword_Exits1AndCreatesNothing()
    {
        var email = NewEmail();

        var (code, _, error) = await RunAsync("users", "add", email, "--role", "Staff", "--password", "short");

        Assert.Equal(1, code);
        Assert.Contains("12", error);
        Assert.Null(await FindAsync(email));
    }

    private static string NewEmail() => $"user-{Guid.NewGuid():N}@example.org";

    private async Task<string> AddUserAsync(string role)
    {
        var email = NewEmail();
        var (code, _, error) = await RunAsync("users", "add", email, "--role", role, "--password", Password);
        Assert.True(code == 0, error);
        return email;
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await UsersCommand.RunAsync(app.Services, args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private async Task<StaffUser?> FindAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByEmailAsync(email);
    }

    private async Task<bool> IsInRoleAsync(string email, string role)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = await users.FindByEmailAsync(email);
        Assert.NotNull(user);
        return await users.IsInRoleAsync(user, role);
    }
}

public sealed class SqliteAccountsTests(SqliteApp app) : AccountsTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresAccountsTests(PostgresApp app) : AccountsTests(app), IClassFixture<PostgresApp>;

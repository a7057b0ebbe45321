using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Webinars.Infrastructure;

namespace Webinars.Tests.Operations;

/// <summary>An exhausted or busy database answers 503 with Retry-After, never 500.</summary>
public sealed class OverloadProblemsTests
{
    public static TheoryData<Exception> Overloads =>
    [
        new PostgresException("sorry, too many clients already", "FATAL", "FATAL", PostgresErrorCodes.TooManyConnections),
        new DbUpdateException("wrapped", new SqliteException("database is locked", 5)),
        new NpgsqlException("The connection pool has been exhausted", new TimeoutException()),
    ];

    [Theory]
    [MemberData(nameof(Overloads))]
    public async Task TryHandle_DatabaseOverload_Answers503WithRetryAfter(Exception overload)
    {
        var (handler, context) = Create();

        var handled = await handler.TryHandleAsync(context, overload, CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("2", context.Response.Headers.RetryAfter.ToString());
        context.Response.Body.Position = 0;
        var problem = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal("Too busy right now", problem.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task TryHandle_OtherDatabaseError_IsLeftToTheDefaultHandler()
    {
        var (handler, context) = Create();

        var handled = await handler.TryHandleAsync(context, new PostgresException("boom", "ERROR", "ERROR", PostgresErrorCodes.SyntaxError), CancellationToken.None);

        Assert.False(handled);
    }

    private static (OverloadProblems, HttpContext) Create()
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        return (new OverloadProblems(services.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>(), NullLogger<OverloadProblems>.Instance), context);
    }
}

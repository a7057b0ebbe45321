using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Webinars.Infrastructure;

/// <summary>
/// A database that is out of connections or busy for longer than our retries is an overload, not a bug: the client
/// gets a 503 ProblemDetails with Retry-After (nothing was saved, so trying again is safe) instead of a 500.
/// </summary>
public sealed class OverloadProblems(IProblemDetailsService problems, ILogger<OverloadProblems> logger) : IExceptionHandler
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsOverload(exception)) return false;

        logger.LogWarning(exception, "Database overloaded; answered 503");
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "2";
        return await problems.TryWriteAsync(new()
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Too busy right now",
                Detail = "Nothing was saved. Please try again in a few seconds.",
            },
        });
    }

    public static bool IsOverload(Exception? e) => e switch
    {
        null => false,
        OverloadedException => true,
        PostgresException pg => pg.SqlState is PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.CannotConnectNow,
        SqliteException sqlite => sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked,
        // Npgsql's own pool ran dry (all connections busy past the connection timeout).
        NpgsqlException { InnerException: TimeoutException } => true,
        _ => IsOverload(e.InnerException),
    };
}

/// <summary>Work refused before anything was saved because a queue of ours is full; answered 503 like a busy database.</summary>
public sealed class OverloadedException(string message) : Exception(message);

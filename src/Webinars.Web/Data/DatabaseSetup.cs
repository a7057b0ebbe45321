using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Webinars.Data;

public static class DatabaseSetup
{
    /// <summary>
    /// Registers <see cref="WebinarsDbContext"/> on the provider named by <c>Database:Provider</c>, with the EF Core
    /// interceptors features register as <see cref="IInterceptor"/> singletons (the outbox's wake-up). Contexts are pooled:
    /// a request reuses a reset context instead of building EF Core's internal services again (which the profile of a
    /// registration rush showed on every request).
    /// </summary>
    public static WebApplicationBuilder AddWebinarsDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var provider = builder.Configuration.GetValue(DatabaseOptions.Section + ":Provider", DatabaseProvider.Sqlite);
        var connectionString = builder.Configuration.GetConnectionString("Webinars");

        if (provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Webinars is not set.");
            }

            connectionString = Tuned(connectionString);
            builder.Services.AddDbContextPool<WebinarsDbContext, PostgresWebinarsDbContext>((sp, o) => UsePostgres(o, connectionString).AddInterceptors(sp.GetServices<IInterceptor>()));
        }
        else
        {
            connectionString ??= DefaultSqlite(builder.Environment.ContentRootPath);
            builder.Services.AddDbContextPool<WebinarsDbContext, SqliteWebinarsDbContext>((sp, o) => UseSqlite(o, connectionString).AddInterceptors(sp.GetServices<IInterceptor>()));
        }

        builder.AddKeyRing();
        builder.Services.AddHealthChecks().AddDbContextCheck<WebinarsDbContext>("database", tags: ["ready"]);
        return builder;
    }

    internal static DbContextOptionsBuilder UsePostgres(DbContextOptionsBuilder o, string connectionString) =>
        o.UseNpgsql(connectionString, n => n.UseNodaTime().MigrationsAssembly(typeof(WebinarsDbContext).Assembly.FullName));

    /// <summary>
    /// Npgsql prepares the statements a connection runs most often, so PostgreSQL parses and plans them once rather
    /// than on every registration; and, as we keep no session state (no SET, LISTEN, advisory locks or temp tables),
    /// a connection going back to the pool is not reset with seven statements on its next use. An explicit
    /// <c>Max Auto Prepare</c> or <c>No Reset On Close</c> in the connection string wins.
    /// </summary>
    private static string Tuned(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 50;
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase)) builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    internal static DbContextOptionsBuilder UseSqlite(DbContextOptionsBuilder o, string connectionString) =>
        o.UseSqlite(connectionString);

    private static string DefaultSqlite(string contentRoot)
    {
        var folder = Path.Combine(contentRoot, "App_Data");
        Directory.CreateDirectory(folder);
        return $"Data Source={Path.Combine(folder, "webinars.db")}";
    }

    /// <summary>Applies pending migrations; every instance may call it, the provider serialises concurrent runs.</summary>
    public static async Task MigrateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebinarsDbContext>();
        await db.Database.MigrateAsync();
        await Topics.TopicHtmlBackfill.RunAsync(db, CancellationToken.None);
        if (db.Database.IsSqlite())
        {
            // WAL lets readers proceed during a write; the busy timeout makes writers queue instead of failing.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
    }
}

// Design-time factories for `dotnet ef migrations add` (see infra/migrations.sh).
internal sealed class SqliteDesignFactory : IDesignTimeDbContextFactory<SqliteWebinarsDbContext>
{
    public SqliteWebinarsDbContext CreateDbContext(string[] args)
    {
        var o = new DbContextOptionsBuilder<SqliteWebinarsDbContext>();
        DatabaseSetup.UseSqlite(o, "Data Source=design.db");
        return new SqliteWebinarsDbContext(o.Options);
    }
}

internal sealed class PostgresDesignFactory : IDesignTimeDbContextFactory<PostgresWebinarsDbContext>
{
    public PostgresWebinarsDbContext CreateDbContext(string[] args)
    {
        var o = new DbContextOptionsBuilder<PostgresWebinarsDbContext>();
        DatabaseSetup.UsePostgres(o, "Host=localhost;Database=webinars_design");
        return new PostgresWebinarsDbContext(o.Options);
    }
}

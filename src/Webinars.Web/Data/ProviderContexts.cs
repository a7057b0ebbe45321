using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Webinars.Data;

/// <summary>The embedded default: a SQLite file. NodaTime values are stored as sortable text or numbers.</summary>
public sealed class SqliteWebinarsDbContext(DbContextOptions<SqliteWebinarsDbContext> options) : WebinarsDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<Instant>().HaveConversion<NodaConverters.InstantToUnixTicks>();
        configurationBuilder.Properties<LocalDateTime>().HaveConversion<NodaConverters.LocalDateTimeToText>();
        configurationBuilder.Properties<Duration>().HaveConversion<NodaConverters.DurationToTicks>();
    }
}

/// <summary>The production store: PostgreSQL with Npgsql's NodaTime mapping (timestamptz, timestamp).</summary>
public sealed class PostgresWebinarsDbContext(DbContextOptions<PostgresWebinarsDbContext> options) : WebinarsDbContext(options);

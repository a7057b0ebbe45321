using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Webinars.Accounts;
using Webinars.LiveQa;
using Webinars.Registrations;
using Webinars.Topics;
using Webinars.Webinars;

namespace Webinars.Data;

/// <summary>
/// The one database context. Each provider has a tiny subclass so that each keeps its own migrations
/// (Data/Migrations/Sqlite, Data/Migrations/Postgres); the model itself is shared.
/// </summary>
public abstract class WebinarsDbContext : IdentityDbContext<StaffUser, IdentityRole<Guid>, Guid>, IDataProtectionKeyContext
{
    protected WebinarsDbContext(DbContextOptions options)
        : base(options)
    {
        // A unit of work that fails is retried whole in a new transaction, never continued after a failed save; so
        // SaveChanges inside our transactions needs no SAVEPOINT and RELEASE (two round trips each).
        Database.AutoSavepointsEnabled = false;
    }

    /// <summary>
    /// Whether this is the PostgreSQL store. Cheaper than <c>Database.IsNpgsql()</c>, which reads the provider's assembly
    /// name on every call — measurable on the registration path.
    /// </summary>
    public bool IsPostgres => this is PostgresWebinarsDbContext;

    /// <summary>The key ring every instance shares, so cookies and tokens issued by one are read by the others.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Topic> Topics => Set<Topic>();
    public DbSet<Webinar> Webinars => Set<Webinar>();
    public DbSet<Speaker> Speakers => Set<Speaker>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Registration> Registrations => Set<Registration>();
    public DbSet<Question> Questions => Set<Question>();
    public DbSet<QuestionVote> QuestionVotes => Set<QuestionVote>();
    public DbSet<Attendance> Attendances => Set<Attendance>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Offsets are stored as whole seconds on both providers; Npgsql's NodaTime plugin has no Offset mapping.
        configurationBuilder.Properties<Offset>().HaveConversion<NodaConverters.OffsetToSeconds>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(WebinarsDbContext).Assembly);
    }
}

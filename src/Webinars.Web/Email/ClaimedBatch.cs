using System.Diagnostics;
using Webinars.Data;

namespace Webinars.Email;

/// <summary>A claimed batch and the scope its rows are tracked in.</summary>
internal sealed class ClaimedBatch(AsyncServiceScope scope, SqliteDurability? durability) : IAsyncDisposable
{
    private readonly long _claimedAt = Stopwatch.GetTimestamp();

    public WebinarsDbContext Db { get; } = scope.ServiceProvider.GetRequiredService<WebinarsDbContext>();

    public List<OutboxMessage> Rows { get; set; } = [];

    /// <summary>The rows as sent, in the same order (the token in the link only here, in memory).</summary>
    public List<MimeKit.MimeMessage> Messages { get; set; } = [];

    public TimeSpan Age => Stopwatch.GetElapsedTime(_claimedAt);

    public async ValueTask DisposeAsync()
    {
        if (durability is not null) await durability.RestoreAsync();
        await scope.DisposeAsync();
    }
}

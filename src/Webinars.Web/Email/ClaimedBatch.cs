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
    public IReadOnlyList<MimeKit.MimeMessage> Messages { get; set; } = [];

    public TimeSpan Age => Stopwatch.GetElapsedTime(_claimedAt);

    public async ValueTask DisposeAsync()
    {
        if (durability is not null) await durability.RestoreAsync();
        await scope.DisposeAsync();
    }
}

/// <summary>
/// The batch's messages, each built when the sender comes to it and disposed by the sender once sent: built all ahead, a
/// batch's MIME trees (with the next batch's, per connection) stayed alive through every GC, which copied them.
/// </summary>
internal sealed class BuiltWhenSent(IReadOnlyList<OutboxMessage> rows, MimeKit.MailboxAddress from) : IReadOnlyList<MimeKit.MimeMessage>
{
    public int Count => rows.Count;

    public MimeKit.MimeMessage this[int index] => MailMessages.Build(rows[index], from, rows[index].AccessToken);

    public IEnumerator<MimeKit.MimeMessage> GetEnumerator()
    {
        for (var i = 0; i < rows.Count; i++) yield return this[i];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

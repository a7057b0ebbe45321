using Microsoft.Extensions.Caching.Memory;
using Webinars.Data;

namespace Webinars.Registrations;

/// <summary>
/// What registering through the API reads first — the webinar and its questions — kept for two seconds on PostgreSQL,
/// so a rush reads it about once per instance and second instead of once per registration. That is safe because the
/// registration statement re-checks everything the decision depends on against the webinar's row
/// (<see cref="OneStatementRegistration"/>) and answers <see cref="WebinarChangedException"/> when staff changed it;
/// the questions may be up to two seconds old, as they are for a form loaded a moment earlier. On SQLite, where
/// registering has no such check, the target is always read fresh.
/// </summary>
public sealed class RegistrationTargetCache(IMemoryCache cache)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

    public async Task<RegistrationTarget?> FindAsync(WebinarsDbContext db, string slug, CancellationToken ct)
    {
        if (!OneStatementRegistration.Applies(db)) return await RegistrationRules.FindTargetAsync(db, slug, ct);
        if (cache.TryGetValue(Key(slug), out RegistrationTarget? target)) return target;
        target = await RegistrationRules.FindTargetAsync(db, slug, ct);
        if (target is not null) cache.Set(Key(slug), target, Lifetime);
        return target;
    }

    public void Forget(string slug) => cache.Remove(Key(slug));

    private static string Key(string slug) => "registration-target:" + slug;
}

namespace Webinars.Caching;

/// <summary>
/// Repeats each tag's eviction once, at least one period after its last eviction, with one timer for every tag: a tag
/// evicted again before its repeat waits for the next tick. During a registration rush that is one repeat per webinar
/// (and one of the listings) about every period, where a delay per eviction made a timer per registration.
/// </summary>
internal sealed class EvictionRepeats : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Func<string, ValueTask> _evict;
    private readonly TimeSpan _period;
    private Timer? _timer;
    // Which timer is current: a tick a stopped timer had queued must not repeat the next timer's tags early.
    private int _generation;
    // Evicted since the last tick: too recent for the next one, so they move to _due then.
    private HashSet<string> _fresh = [];
    // Last evicted at least one period before the next tick: repeated by it.
    private HashSet<string> _due = [];

    /// <param name="evict">Evicts one tag (here only).</param>
    /// <param name="period">The least time between an eviction and its repeat (tests pass an infinite one and tick by hand).</param>
    public EvictionRepeats(Func<string, ValueTask> evict, TimeSpan period)
    {
        _evict = evict;
        _period = period;
    }

    /// <summary>Tags waiting for their repeat.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate) return _fresh.Count + _due.Count;
        }
    }

    /// <summary>Says that <paramref name="tags"/> were evicted just now.</summary>
    public void Evicted(IEnumerable<string> tags)
    {
        lock (_gate)
        {
            if (_timer is null)
            {
                // Nothing waits: a timer starts now, so its first tick is one period away.
                _due.UnionWith(tags);
                var generation = ++_generation;
                _timer = new Timer(_ => _ = TickAsync(generation), null, _period, _period);
                return;
            }

            foreach (var tag in tags)
            {
                _due.Remove(tag);
                _fresh.Add(tag);
            }
        }
    }

    /// <summary>What the timer does each period: repeats the due tags, and stops when nothing waits.</summary>
    internal Task TickAsync() => TickAsync(Volatile.Read(ref _generation));

    private async Task TickAsync(int generation)
    {
        HashSet<string> due;
        lock (_gate)
        {
            if (generation != _generation || _timer is null) return;
            (due, _due, _fresh) = (_due, _fresh, []);
            if (_due.Count == 0)
            {
                _timer.Dispose();
                _timer = null;
            }
        }

        foreach (var tag in due) await _evict(tag);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }
}

using Orchest.Engine.Runs;

namespace Orchest.Storage.Azure.Tables;

/// <summary>
/// The latest state of the most recently used runs that one store instance read or committed, so a
/// transition reads the run row and the step rows changed since (not the whole partition). Entries are
/// immutable snapshots; a newer state replaces the entry (copy on write), never mutates it.
/// </summary>
internal sealed class RunSnapshotCache(int capacity)
{
    private readonly Dictionary<string, (Entry Entry, long Used)> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _uses;

    /// <summary>
    /// A snapshot and the change sequence of its run row: every step row whose stored change sequence is
    /// at most <see cref="Sequence"/> is in <see cref="Snapshot"/> as stored, or in a newer state.
    /// </summary>
    internal sealed record Entry(RunSnapshot Snapshot, long Sequence);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public Entry? TryGet(string runId)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(runId, out var found))
            {
                return null;
            }

            _entries[runId] = (found.Entry, ++_uses);
            return found.Entry;
        }
    }

    /// <summary>Keeps <paramref name="entry"/> unless the run's entry is already at a later sequence.</summary>
    public void Put(string runId, Entry entry)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(runId, out var found) && found.Entry.Sequence > entry.Sequence)
            {
                return;
            }

            _entries[runId] = (entry, ++_uses);
            if (_entries.Count <= capacity)
            {
                return;
            }

            var oldest = default(string);
            var oldestUse = long.MaxValue;
            foreach (var (key, value) in _entries)
            {
                if (value.Used < oldestUse)
                {
                    oldest = key;
                    oldestUse = value.Used;
                }
            }

            _entries.Remove(oldest!);
        }
    }

    public void Remove(string runId)
    {
        lock (_lock)
        {
            _entries.Remove(runId);
        }
    }
}

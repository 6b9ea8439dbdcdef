// Fixtures of the snapshot specs (unit and integration), not part of the library's API.
import { Aggregate } from './snapshots';

export type Tally = { total: number; counts: Record<string, number> };
export type Counted = { type: 'counted'; key: string };

/** A keyed tally of named things: the summary is the total, one entry per key. */
export const tally: Aggregate<Tally, Counted> = {
  initialState: { total: 0, counts: {} },
  evolve: (s, e) => ({ total: s.total + 1, counts: { ...s.counts, [e.key]: (s.counts[e.key] ?? 0) + 1 } }),
  snapshots: {
    schemaVersion: 1,
    keyed: {
      keysOf: (e) => [e.key],
      split: (s, keys) => ({
        summary: { total: s.total },
        entries: [...(keys === 'all' ? Object.keys(s.counts) : keys)].map((k): [string, unknown] => [k, s.counts[k] ?? null]),
      }),
      join: (summary, entries) => ({
        total: (summary as { total: number }).total,
        counts: Object.fromEntries(entries) as Record<string, number>,
      }),
    },
  },
};

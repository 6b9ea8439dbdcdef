import { Aggregate, foldFromStart, snapshotToWrite, stateFromSnapshot } from './snapshots';
import { Counted, tally } from './spec-support';

// A counter whose state is a Set (so it needs a JSON form), and the keyed tally of named things (spec-support).
type Added = { type: 'added'; n: number };
const counter: Aggregate<Set<number>, Added> = {
  initialState: new Set(),
  evolve: (s, e) => new Set([...s, e.n]),
  snapshots: { schemaVersion: 3, every: 4, toJson: (s) => [...s], fromJson: (j) => new Set(j as number[]) },
};

const added = (...ns: number[]): Added[] => ns.map((n) => ({ type: 'added', n }));
const counted = (...keys: string[]): Counted[] => keys.map((key) => ({ type: 'counted', key }));

describe('snapshots (pure part)', () => {
  it('a load folds only the events after the snapshot onto it, and is at the stream’s version', () => {
    const loaded = stateFromSnapshot(counter, { snapshotVersion: 10, state: [1, 2], tail: added(3, 4), entries: [] }, 'all')!;
    expect([...loaded.state]).toEqual([1, 2, 3, 4]);
    expect(loaded).toMatchObject({ version: 12, snapshotVersion: 10, replayed: 2 });
  });

  it('without a usable snapshot the whole stream is folded from the initial state', () => {
    const loaded = stateFromSnapshot(counter, { snapshotVersion: null, state: null, tail: added(5, 6, 7), entries: [] }, 'all')!;
    expect([...loaded.state]).toEqual([5, 6, 7]);
    expect(loaded).toMatchObject({ version: 3, snapshotVersion: 0, replayed: 3 });
  });

  it('a whole-state snapshot is written once `every` events followed the last one, in its JSON form and schema version', () => {
    const at = (version: number, snapshotVersion: number) => ({ ...foldFromStart(counter, []), version, snapshotVersion });
    expect(snapshotToWrite(at(2, 0), new Set([1]), added(1))).toBeUndefined();
    expect(snapshotToWrite(at(3, 0), new Set([1, 2]), added(2))).toEqual({ schemaVersion: 3, state: [1, 2] });
    expect(snapshotToWrite(at(9, 8), new Set([1]), added(1))).toBeUndefined();
    expect(snapshotToWrite(at(9, 8), new Set([1, 2, 3]), added(2, 3, 4))).toEqual({ schemaVersion: 3, state: [1, 2, 3] });
  });

  it('a decider without a snapshot policy never writes one', () => {
    const plain: Aggregate<number, Added> = { initialState: 0, evolve: (s, e) => s + e.n };
    expect(snapshotToWrite(foldFromStart(plain, added(1, 2)), 3, added(3))).toBeUndefined();
  });

  it('a keyed state loads its summary and the entries asked for, and writes back the summary and the entries its events touch', () => {
    const loaded = stateFromSnapshot(tally, { snapshotVersion: 40, state: { total: 40 }, tail: [], entries: [['a', 7]] }, ['a', 'b'])!;
    expect(loaded.state).toEqual({ total: 40, counts: { a: 7 } });
    const events = counted('a', 'b');
    const next = events.reduce(tally.evolve, loaded.state);
    expect(snapshotToWrite(loaded, next, events)).toEqual({
      schemaVersion: 1,
      state: { total: 42 },
      entries: [
        ['a', 8],
        ['b', 1],
      ],
      replaceEntries: false,
    });
  });

  it('a keyed snapshot behind its stream is not used: its entries may be stale, so the stream is replayed', () => {
    expect(
      stateFromSnapshot(tally, { snapshotVersion: 40, state: { total: 40 }, tail: counted('a'), entries: [['a', 7]] }, ['a']),
    ).toBeNull();
  });

  it('after a full replay a keyed state writes every entry and replaces what was stored', () => {
    const loaded = foldFromStart(tally, counted('a', 'b', 'a'));
    const events = counted('c');
    expect(snapshotToWrite(loaded, events.reduce(tally.evolve, loaded.state), events)).toEqual({
      schemaVersion: 1,
      state: { total: 4 },
      entries: [
        ['a', 2],
        ['b', 1],
        ['c', 1],
      ],
      replaceEntries: true,
    });
  });

  it('an event about an entry the command did not load is refused before anything is written', () => {
    const loaded = stateFromSnapshot(tally, { snapshotVersion: 3, state: { total: 3 }, tail: [], entries: [] }, ['a'])!;
    const events = counted('z');
    expect(() => snapshotToWrite(loaded, events.reduce(tally.evolve, loaded.state), events)).toThrow(
      "an event touches entry 'z', which the command did not load",
    );
  });
});

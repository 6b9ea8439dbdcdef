import { streamFamilies, streamIdFor } from '@privatelink/contracts';
import {
  QuotaLedgerCommand,
  QuotaLedgerEvent,
  QuotaLedgerState,
  evolveQuotaLedger,
  quotaLedgerDecider,
  quotaLedgerKeysOf,
} from '@privatelink/domain';
import { Aggregate, Loaded, Sql, StreamVersionConflict, snapshotToWrite } from '@privatelink/eventstore';
import { eventStoreForSpec, meta } from './support';
import { Counted, tally } from '../src/spec-support';

let streams = 0;
const newStream = () => `endpoint-service-vpce-svc-${String(++streams).padStart(17, '0')}`;

// A keyed tally (summary: the total; one entry per key) and a whole-state list, both with snapshots.
type Added = { type: 'added'; n: number };
const listOf = (schemaVersion: number): Aggregate<number[], Added> => ({
  initialState: [],
  evolve: (s, e) => [...s, e.n],
  snapshots: { schemaVersion },
});

describe('event store snapshots (real Postgres)', () => {
  const pg = eventStoreForSpec('snapshots', 'snapshot_test', 12);

  /** Load, take `events`, append with the snapshot they call for. */
  async function write<S, E extends { type: string }>(
    streamId: string,
    aggregate: Aggregate<S, E>,
    events: E[],
    options: { keys?: string[]; tx?: Sql } = {},
  ): Promise<Loaded<S, E>> {
    const loaded = await pg.store.load(streamId, aggregate, options);
    const next = events.reduce(aggregate.evolve, loaded.state);
    await pg.store.append(
      streamId,
      loaded.version,
      events.map((e) => ({ type: e.type, payload: e })),
      { ...meta, snapshot: snapshotToWrite(loaded, next, events) },
      options.tx,
    );
    return loaded;
  }

  const snapshotRow = async (streamId: string) =>
    (await pg.db.query(`SELECT state_schema, stream_version, state FROM es_snapshots WHERE stream_id = $1`, [streamId]))[0];
  const entryRows = async (streamId: string) =>
    (await pg.db.query(`SELECT entry_key, entry FROM es_snapshot_entries WHERE stream_id = $1 ORDER BY entry_key`, [streamId])).map(
      (r: { entry_key: string; entry: unknown }) => [r.entry_key, r.entry],
    );

  it('a snapshot is written by the append’s own statement: a rolled-back append leaves none, a committed one is at the stream’s version', async () => {
    const streamId = newStream();
    await expect(
      pg.db.transaction(async (tx) => {
        await write(streamId, tally, [{ type: 'counted', key: 'a' }], { tx });
        expect(await tx.query(`SELECT count(*)::int AS n FROM es_snapshots WHERE stream_id = $1`, [streamId])).toEqual([{ n: 1 }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await snapshotRow(streamId)).toBeUndefined();
    expect(await entryRows(streamId)).toEqual([]);

    await pg.db.transaction((tx) =>
      write(
        streamId,
        tally,
        [
          { type: 'counted', key: 'a' },
          { type: 'counted', key: 'b' },
        ],
        { tx },
      ),
    );
    await write(streamId, tally, [{ type: 'counted', key: 'a' }], { keys: ['a'] });
    expect(await snapshotRow(streamId)).toEqual({ state_schema: 1, stream_version: 3, state: { total: 3 } });
    expect(await entryRows(streamId)).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('a load reads the summary and only the entries asked for, and folds nothing when the snapshot is at the head', async () => {
    const streamId = newStream();
    await write(streamId, tally, [
      { type: 'counted', key: 'a' },
      { type: 'counted', key: 'b' },
      { type: 'counted', key: 'c' },
    ]);
    const told: Array<[number, string]> = [];
    const stop = pg.store.onLoaded((id, folded, from) => id === streamId && told.push([folded, from]));
    const loaded = await pg.store.load(streamId, tally, { keys: ['b', 'z'] });
    stop();
    expect(loaded).toMatchObject({ state: { total: 3, counts: { b: 1 } }, version: 3, snapshotVersion: 3, replayed: 0 });
    expect(told).toEqual([[0, 'snapshot']]);
  });

  it('a snapshot is used as stored: a snapshot of another state schema version is ignored, the state rebuilt from the events, and the next append stores it under the new version', async () => {
    const streamId = newStream();
    await write(streamId, listOf(1), [
      { type: 'added', n: 1 },
      { type: 'added', n: 2 },
    ]);
    expect(await snapshotRow(streamId)).toMatchObject({ state_schema: 1, stream_version: 2, state: [1, 2] });
    // A cache the schema-1 fold trusts as it is (shown by a value no event ever had)...
    await pg.db.query(`UPDATE es_snapshots SET state = '[1, 2, 99]' WHERE stream_id = $1`, [streamId]);
    expect((await pg.store.load(streamId, listOf(1))).state).toEqual([1, 2, 99]);
    // ...and that a fold of another schema ignores: it replays the stream.
    const told: Array<[string, number, string]> = [];
    const stop = pg.store.onLoaded((id, folded, from) => id === streamId && told.push([id, folded, from]));
    const rebuilt = await pg.store.load(streamId, listOf(2));
    stop();
    expect(rebuilt).toMatchObject({ state: [1, 2], version: 2, snapshotVersion: 0, replayed: 2 });
    expect(told).toEqual([[streamId, 2, 'start']]); // what the runtime's metric counts
    await write(streamId, listOf(2), [{ type: 'added', n: 3 }]);
    expect(await snapshotRow(streamId)).toMatchObject({ state_schema: 2, stream_version: 3, state: [1, 2, 3] });
  });

  it('a keyed snapshot left behind by an append without one is not trusted: the stream is replayed and every entry stored again', async () => {
    const streamId = newStream();
    await write(streamId, tally, [
      { type: 'counted', key: 'a' },
      { type: 'counted', key: 'b' },
    ]);
    await pg.db.query(`INSERT INTO es_snapshot_entries (stream_id, entry_key, state_schema, entry) VALUES ($1, 'gone', 1, '5')`, [
      streamId,
    ]);
    await pg.store.append(streamId, 2, [{ type: 'counted', payload: { type: 'counted', key: 'a' } }], meta); // no snapshot
    const loaded = await pg.store.load(streamId, tally, { keys: ['b'] });
    expect(loaded).toMatchObject({ state: { total: 3, counts: { a: 2, b: 1 } }, version: 3, snapshotVersion: 0 });
    await write(streamId, tally, [{ type: 'counted', key: 'b' }], { keys: ['b'] });
    expect(await snapshotRow(streamId)).toMatchObject({ stream_version: 4, state: { total: 4 } });
    expect(await entryRows(streamId)).toEqual([
      ['a', 2],
      ['b', 2],
    ]);
  });

  it('writers that loaded the same snapshot still conflict: exactly one append wins, and the snapshot is the winner’s', async () => {
    const streamId = newStream();
    await write(streamId, tally, [{ type: 'counted', key: 'base' }]);
    const keys = Array.from({ length: 8 }, (_, i) => `k${i}`);
    // Every writer loads before any appends: all decide on the snapshot at version 1.
    const loads = await Promise.all(keys.map((key) => pg.store.load(streamId, tally, { keys: [key] })));
    expect(loads.map((l) => l.version)).toEqual(keys.map(() => 1));
    const results = await Promise.allSettled(
      keys.map((key, i) =>
        pg.db.transaction((tx) => {
          const events: Counted[] = [{ type: 'counted', key }];
          const snapshot = snapshotToWrite(loads[i], events.reduce(tally.evolve, loads[i].state), events);
          return pg.store.append(
            streamId,
            1,
            events.map((e) => ({ type: e.type, payload: e })),
            { ...meta, snapshot },
            tx,
          );
        }),
      ),
    );
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [keys[i]] : []));
    expect(won).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StreamVersionConflict);
    expect(await snapshotRow(streamId)).toMatchObject({ stream_version: 2, state: { total: 2 } });
    expect(await entryRows(streamId)).toEqual([
      ['base', 1],
      [won[0], 1],
    ]);
  });

  it('a quota ledger decides the same with snapshots, without any, and after they are dropped midway', async () => {
    const withSnapshots = streamIdFor(
      streamFamilies.quotaLedger,
      'connections-per-consumer-per-service/vpce-svc-0123456789abcdef0/444455556666',
    );
    const withoutSnapshots = streamIdFor(
      streamFamilies.quotaLedger,
      'connections-per-consumer-per-service/vpce-svc-0123456789abcdef0/777788889999',
    );
    const scope = (consumerAccountId: string) => ({
      serviceId: 'vpce-svc-0123456789abcdef0',
      providerAccountId: '111122223333',
      consumerAccountId,
    });
    const holder = (i: number) => `vpce-${i.toString(16).padStart(17, '0')}`;
    const at = (i: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, i)).toISOString();
    const plan = (i: number, consumer: string): QuotaLedgerCommand => {
      const code = 'connections-per-consumer-per-service' as const;
      if (i % 5 === 4) return { type: 'release', holderIds: [holder(i - 3)], now: at(i) };
      if (i % 5 === 2) return { type: 'confirm', holderId: holder(i - 1), now: at(i) };
      if (i === 30) return { type: 'setLimit', code, scope: scope(consumer), limit: 14, source: { kind: 'ops', setBy: 'ops' }, now: at(i) };
      return { type: 'reserve', code, scope: scope(consumer), holderId: holder(i), units: 1, limit: 14, now: at(i), expiresAt: at(i + 60) };
    };
    const outcomes: Array<[string, string]> = [];
    const strip = (events: QuotaLedgerEvent[]) => events.map(({ scope: _s, scopeKey: _k, ...e }) => e);
    for (let i = 0; i < 60; i++) {
      if (i === 35) await pg.db.query(`DELETE FROM es_snapshots WHERE stream_id = $1`, [withSnapshots]);
      const fast = plan(i, '444455556666');
      const loaded = await pg.store.load(withSnapshots, quotaLedgerDecider, { keys: quotaLedgerKeysOf(fast) });
      const slow = plan(i, '777788889999');
      const truth = await pg.store.aggregate(withoutSnapshots, evolveQuotaLedger, null as QuotaLedgerState | null);
      let a: QuotaLedgerEvent[] | string;
      let b: QuotaLedgerEvent[] | string;
      try {
        a = quotaLedgerDecider.decide(fast, loaded.state);
      } catch (error) {
        a = (error as { code: string }).code;
      }
      try {
        b = quotaLedgerDecider.decide(slow, truth.state);
      } catch (error) {
        b = (error as { code: string }).code;
      }
      outcomes.push([JSON.stringify(typeof a === 'string' ? a : strip(a)), JSON.stringify(typeof b === 'string' ? b : strip(b))]);
      if (typeof a !== 'string' && a.length > 0) {
        const next = quotaLedgerDecider.replay!(loaded.state, a);
        await pg.store.append(
          withSnapshots,
          loaded.version,
          a.map((e) => ({ type: e.type, payload: e as never })),
          { ...meta, snapshot: snapshotToWrite(loaded, next, a) },
        );
      }
      if (typeof b !== 'string' && b.length > 0)
        await pg.store.append(
          withoutSnapshots,
          truth.version,
          b.map((e) => ({ type: e.type, payload: e as never })),
          meta,
        );
    }
    for (const [a, b] of outcomes) expect(a).toEqual(b);
    expect(outcomes.some(([a]) => a === '"LimitExceeded"')).toBe(true);
    const fromSnapshot = await pg.store.load(withSnapshots, quotaLedgerDecider, { keys: 'all' });
    const replayed = await pg.store.aggregate(withSnapshots, evolveQuotaLedger, null as QuotaLedgerState | null);
    expect(fromSnapshot.snapshotVersion).toBe(fromSnapshot.version);
    expect(fromSnapshot.state).toEqual(replayed.state);
    const other = (await pg.store.aggregate(withoutSnapshots, evolveQuotaLedger, null as QuotaLedgerState | null)).state!;
    expect({ ...fromSnapshot.state!, scope: null, scopeKey: null }).toEqual({ ...other, scope: null, scopeKey: null });
  });
});

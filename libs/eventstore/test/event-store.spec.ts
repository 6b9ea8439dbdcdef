import { StreamVersionConflict } from '@privatelink/eventstore';
import { eventStoreForSpec, meta } from './support';

const stream = (n: number | string) => `endpoint-service-vpce-svc-${String(n).padStart(17, '0')}`;

describe('the Postgres event store', () => {
  const pg = eventStoreForSpec('eventstore', 'event_store_test', 20);

  it('appends to a new stream at version 0 and reads the stream back in order with the full envelope', async () => {
    const result = await pg.store.append(
      stream(1),
      0,
      [
        { type: 'a', payload: { n: 1 } },
        { type: 'b', payload: { n: 2 } },
      ],
      meta,
    );
    expect(result.streamVersion).toBe(2);
    const events = await pg.store.readStream(stream(1));
    expect(events.map((e) => [e.type, e.streamVersion, e.payload])).toEqual([
      ['a', 1, { n: 1 }],
      ['b', 2, { n: 2 }],
    ]);
    const e = events[0];
    expect(e.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(e.position)).toBeGreaterThan(0);
    expect(e.schemaVersion).toBe(1);
    expect(e.metadata).toMatchObject({ principal: 'arn:aws:iam::111122223333:root', correlationId: 'c-1', causationId: null });
    expect(Date.parse(e.metadata.occurredAt)).not.toBeNaN();
  });

  it('a stale expected version raises StreamVersionConflict and writes nothing', async () => {
    await pg.store.append(stream(2), 0, [{ type: 'a', payload: {} }], meta);
    await expect(pg.store.append(stream(2), 0, [{ type: 'b', payload: {} }], meta)).rejects.toBeInstanceOf(StreamVersionConflict);
    await expect(pg.store.append(stream(2), 5, [{ type: 'b', payload: {} }], meta)).rejects.toBeInstanceOf(StreamVersionConflict);
    expect((await pg.store.readStream(stream(2))).map((e) => e.type)).toEqual(['a']);
  });

  it('of many concurrent writers at one expected version exactly one wins; the others conflict cleanly', async () => {
    await pg.store.append(stream(3), 0, [{ type: 'created', payload: {} }], meta);
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => pg.store.append(stream(3), 1, [{ type: 'changed', payload: { writer: i } }], meta)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StreamVersionConflict);
    expect((await pg.store.readStream(stream(3))).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('an append inside a transaction that rolls back leaves no event behind', async () => {
    await expect(
      pg.db.transaction(async (tx) => {
        await pg.store.append(stream(5), 0, [{ type: 'a', payload: {} }], meta, tx);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await pg.store.readStream(stream(5))).toEqual([]);
  });

  it('a version the stream never reached is a conflict, not a gap', async () => {
    await pg.store.append(stream(8), 0, [{ type: 'a', payload: {} }], meta);
    await expect(pg.store.append(stream(8), 3, [{ type: 'b', payload: {} }], meta)).rejects.toBeInstanceOf(StreamVersionConflict);
    expect((await pg.store.readStream(stream(8))).map((e) => e.streamVersion)).toEqual([1]);
  });

  it('the global log shows only settled events: a later commit stays hidden while an older transaction is open', async () => {
    const head = await pg.store.settledHead();
    const runner = pg.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await pg.store.append(stream(6), 0, [{ type: 'slow', payload: {} }], meta, runner.manager);
    await pg.store.append(stream(7), 0, [{ type: 'fast', payload: {} }], meta); // commits first, with a higher transaction id
    expect((await pg.store.readAll(head)).map((e) => e.type)).toEqual([]);
    await runner.commitTransaction();
    await runner.release();
    expect((await pg.store.readAll(head)).map((e) => e.type).sort()).toEqual(['fast', 'slow']);
  });

  it('event ids are unique across the store', async () => {
    const rows = await pg.db.query('SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM es_events');
    expect(rows[0].n).toBe(rows[0].d);
  });
});

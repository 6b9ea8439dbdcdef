import { DataSource } from 'typeorm';
import { EventEnvelope, parseStreamId, streamFamilies } from '@privatelink/contracts';
import { EventStore, openServiceDatabase } from '@privatelink/eventstore';
import { DocumentProjection, ProjectionRunner, RebuildProgress, documentTable, rebuildProjection } from '@privatelink/projections';
import { freshDatabase, startPostgres } from '@privatelink/testing';

interface Counter {
  count: number;
  last: string;
}

/** A tiny read model: per load balancer, how many events it has had and the last type. */
const counters: DocumentProjection<Counter> = {
  name: 'counters',
  families: [streamFamilies.loadBalancer],
  table: 'rm_counters',
  rowIdOf: (e) => parseStreamId(e.streamId).aggregateId,
  evolve: (doc, e) => (e.type === 'removed' ? undefined : { count: (doc?.count ?? 0) + 1, last: e.type }),
};

const meta = { metadata: { principal: 'p', correlationId: 'c', causationId: null } };
const stream = (n: number) => `load-balancer-lb-${n}`;

describe('projection runner and rebuild', () => {
  let db: DataSource;
  let store: EventStore;
  let runner: ProjectionRunner<Counter>;

  async function appendAndApply(streamId: string, version: number, type: string): Promise<EventEnvelope> {
    const { events } = await store.append(streamId, version, [{ type, payload: {} }], meta);
    await runner.apply(events[0]);
    return events[0];
  }

  const table = async (name = 'rm_counters') =>
    (await db.query(`SELECT id, doc FROM ${name} ORDER BY id`)) as Array<{ id: string; doc: Counter }>;

  beforeAll(async () => {
    const { url } = await startPostgres();
    db = await openServiceDatabase({ url: await freshDatabase(url, 'projections'), schema: 'projection_test' });
    for (const statement of documentTable('rm_counters', { columns: { last_type: 'last' } })) await db.query(statement);
    store = new EventStore(db);
    runner = new ProjectionRunner(db, counters);
  });

  afterAll(() => db?.destroy());

  it('applies an event once: a redelivered or older event changes nothing', async () => {
    const first = await appendAndApply(stream(1), 0, 'registered');
    expect(await runner.apply(first)).toBe(false);
    await appendAndApply(stream(1), 1, 'tagged');
    expect(await runner.apply(first)).toBe(false);
    expect((await table()).find((r) => r.id === 'lb-1')!.doc).toEqual({ count: 2, last: 'tagged' });
    expect(await runner.checkpointOf(stream(1))).toBe(2);
  });

  it('applies a batch in one transaction exactly as one at a time: in order, each event once, removals included', async () => {
    // Two streams, appended first; then applied as one batch with a redelivered event, an older one and a removal in it.
    const a: EventEnvelope[] = [];
    const b: EventEnvelope[] = [];
    for (const [i, type] of ['registered', 'tagged', 'tagged'].entries())
      a.push(...(await store.append(stream(901), i, [{ type, payload: {} }], meta)).events);
    for (const [i, type] of ['registered', 'tagged', 'removed'].entries())
      b.push(...(await store.append(stream(902), i, [{ type, payload: {} }], meta)).events);
    expect(await runner.apply(a[0])).toBe(true);
    const applied = await runner.applyAll([a[0], b[0], a[1], b[1], a[1], a[2], b[2]]);
    expect(applied).toEqual([false, true, true, true, false, true, true]);
    const rows = await table();
    expect(rows.find((r) => r.id === 'lb-901')!.doc).toEqual({ count: 3, last: 'tagged' });
    expect(rows.find((r) => r.id === 'lb-902')).toBeUndefined();
    expect(await runner.checkpointOf(stream(901))).toBe(3);
    expect(await runner.checkpointOf(stream(902))).toBe(3);
    // The same batch again changes nothing.
    expect(await runner.applyAll([...a, ...b])).toEqual([false, false, false, false, false, false]);
    expect((await table()).find((r) => r.id === 'lb-901')!.doc).toEqual({ count: 3, last: 'tagged' });
    // And the result equals applying one at a time.
    for (const [i, type] of ['registered', 'tagged', 'tagged'].entries()) await appendAndApply(stream(903), i, type);
    expect((await table()).find((r) => r.id === 'lb-903')!.doc).toEqual(rows.find((r) => r.id === 'lb-901')!.doc);
  });

  it('a read waits for the projection to reach a stream version, and gives up after its bound', async () => {
    expect(await runner.waitFor(stream(1), 2, 1_000)).toBe(true);
    const started = Date.now();
    expect(await runner.waitFor(stream(1), 3, 200)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('a rebuild replays the event store into a fresh table equal to the live one, reporting progress', async () => {
    for (let n = 2; n <= 200; n++) {
      await appendAndApply(stream(n), 0, 'registered');
      if (n % 3 === 0) await appendAndApply(stream(n), 1, 'tagged');
      if (n % 10 === 0) await appendAndApply(stream(n), n % 3 === 0 ? 2 : 1, 'removed');
    }
    // Someone damaged the live table; the rebuild must restore it from the events alone.
    const expected = await table();
    await db.query(`UPDATE rm_counters SET doc = '{"count": -1, "last": "corrupt"}'`);
    const progress: RebuildProgress[] = [];
    const result = await rebuildProjection(db, store, counters, { batchSize: 50, onProgress: (p) => progress.push(p) });
    expect(await table()).toEqual(expected);
    expect(result.rows).toBe(expected.length);
    expect(result.events).toBeGreaterThan(200);
    expect(progress.filter((p) => p.phase === 'replaying').length).toBeGreaterThan(3);
    expect(progress[progress.length - 1].phase).toBe('done');
    // The generated filter column came along with the table's definition.
    expect((await db.query(`SELECT last_type FROM rm_counters WHERE id = 'lb-3'`))[0].last_type).toBe('tagged');
  });

  it('writes that land while a rebuild runs are in the result, and the live runner keeps going after the swap', async () => {
    const rebuilding = rebuildProjection(db, store, counters, { batchSize: 20 });
    for (let n = 300; n < 340; n++) await appendAndApply(stream(n), 0, 'registered');
    await rebuilding;
    await appendAndApply(stream(340), 0, 'registered');
    const ids = (await table()).map((r) => r.id);
    for (let n = 300; n <= 340; n++) expect(ids).toContain(`lb-${n}`);
    // Checkpoints were rebuilt too: re-applying an old event is still a no-op.
    const old = (await store.readStream(stream(300)))[0];
    expect(await runner.apply(old)).toBe(false);
  });
});

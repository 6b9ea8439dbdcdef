import pino from 'pino';
import { EventEnvelope, MessageTransport, OutgoingMessage, Subscription } from '@privatelink/contracts';
import { EventStore, OutboxRelay, openServiceDatabase } from '@privatelink/eventstore';
import { InProcessTransport } from '@privatelink/messaging';
import { freshDatabase, startPostgres } from '@privatelink/testing';
import { eventStoreForSpec, meta } from './support';

const stream = (n: number) => `endpoint-service-vpce-svc-${String(n).padStart(17, '0')}`;
const logger = pino({ level: 'silent' });

/** Records what the relay published, in order, through the real in-process transport. */
async function recordingTransport(): Promise<{ transport: MessageTransport; seen: EventEnvelope[]; sub: Subscription }> {
  const transport = new InProcessTransport(logger);
  const seen: EventEnvelope[] = [];
  const sub = await transport.subscribe({
    groupId: 'recorder',
    topics: ['privatelink.endpoint-service.events'],
    handler: async (m) => void seen.push(m.value as EventEnvelope),
  });
  return { transport, seen, sub };
}

/** Keeps what the relay hands the transport, in order, and delivers nothing. */
function capturingTransport(): { transport: MessageTransport; published: OutgoingMessage[] } {
  const published: OutgoingMessage[] = [];
  const transport: MessageTransport = Object.assign(new InProcessTransport(logger), {
    publish: async (messages: OutgoingMessage[]) => void published.push(...messages),
  });
  return { transport, published };
}

describe('the outbox relay', () => {
  const pg = eventStoreForSpec('outbox', 'outbox_test', 10);

  it('never skips an event whose transaction committed after a later-numbered one; publishes what committed at once, each once', async () => {
    const { transport, seen } = await recordingTransport();
    const relay = new OutboxRelay(pg.db, transport, logger, { name: 'late-commit' });
    const slow = pg.db.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    // The slow transaction appends first (lower position and transaction id) but commits last.
    await pg.store.append(stream(1), 0, [{ type: 'slow-1', payload: {} }], meta, slow.manager);
    await pg.store.append(stream(2), 0, [{ type: 'fast-1', payload: {} }], meta);
    await pg.store.append(stream(2), 1, [{ type: 'fast-2', payload: {} }], meta);
    // What committed goes out now, without waiting for the slow transaction; the checkpoint stays before
    // slow-1, so a relay that only moved by position would publish fast-1 and fast-2 and never look back.
    expect(await relay.drain()).toBe(2);
    expect(seen.map((e) => e.type)).toEqual(['fast-1', 'fast-2']);
    expect(await relay.drain()).toBe(0);
    expect(await relay.pending()).toBe(2);
    await slow.commitTransaction();
    await slow.release();
    expect(await relay.drain()).toBe(1);
    expect(seen.map((e) => e.type)).toEqual(['fast-1', 'fast-2', 'slow-1']);
    expect(await relay.drain()).toBe(0);
    expect(await relay.pending()).toBe(0);
    // A relay that starts again (another process) finds nothing left: the checkpoint covers all three.
    const again = new OutboxRelay(pg.db, transport, logger, { name: 'late-commit' });
    expect(await again.drain()).toBe(0);
    expect(seen).toHaveLength(3);
  });

  it('keeps each aggregate in version order and uses the aggregate id as the message key', async () => {
    const { transport, published } = capturingTransport();
    const relay = new OutboxRelay(pg.db, transport, logger, { name: 'order', batchSize: 7 });
    await relay.drain();
    published.length = 0;
    await Promise.all(
      [10, 11, 12].map(async (n) => {
        for (let v = 0; v < 10; v++) await pg.store.append(stream(n), v, [{ type: `e${v + 1}`, payload: {} }], meta);
      }),
    );
    expect(await relay.drain()).toBe(30);
    for (const n of [10, 11, 12]) {
      const mine = published.filter((m) => m.key === `vpce-svc-${String(n).padStart(17, '0')}`);
      expect(mine.map((m) => (m.value as EventEnvelope).streamVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
  });

  it("keeps a stream's versions in order when a round's cut falls between them in transaction-id order", async () => {
    const { transport, published } = capturingTransport();
    const relay = new OutboxRelay(pg.db, transport, logger, { name: 'cut', batchSize: 2 });
    await relay.drain();
    published.length = 0;
    // The early transaction takes its id first (a write of its own), then appends version 2 after version 1
    // committed: in (transaction id, position) order version 2 comes first, three rows ahead of version 1.
    const early = pg.db.createQueryRunner();
    await early.connect();
    await early.startTransaction();
    await early.query('SELECT pg_current_xact_id()');
    await pg.store.append(stream(40), 0, [{ type: 'filler-1', payload: {} }], meta);
    await pg.store.append(stream(40), 1, [{ type: 'filler-2', payload: {} }], meta);
    await pg.store.append(stream(41), 0, [{ type: 'v1', payload: {} }], meta);
    await pg.store.append(stream(41), 1, [{ type: 'v2', payload: {} }], meta, early.manager);
    await early.commitTransaction();
    await early.release();
    // Rounds of two: a relay that cut after [v2, filler-1] would send version 2 before version 1. A transaction
    // running anywhere in the cluster (other tests) holds the settled horizon back and the relay publishes ahead
    // of its checkpoint only one window's worth: drain until the checkpoint has caught up.
    let sent = 0;
    for (const deadline = Date.now() + 30_000; (await relay.pending()) > 0 && Date.now() < deadline;) {
      sent += await relay.drain();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(sent).toBe(4);
    expect(published).toHaveLength(4);
    const versionsOf = (n: number) =>
      published.filter((m) => m.key === `vpce-svc-${String(n).padStart(17, '0')}`).map((m) => (m.value as EventEnvelope).type);
    expect(versionsOf(41)).toEqual(['v1', 'v2']);
    expect(versionsOf(40)).toEqual(['filler-1', 'filler-2']);
    expect(await relay.drain()).toBe(0);
    expect(await relay.pending()).toBe(0);
  });

  it('goes on publishing past a window it already sent ahead while an open transaction holds the horizon back', async () => {
    const { transport, published } = capturingTransport();
    const relay = new OutboxRelay(pg.db, transport, logger, { name: 'held', batchSize: 2 });
    // A transaction with an id stays open: nothing committed after it settles, so the checkpoint cannot move.
    const open = pg.db.createQueryRunner();
    await open.connect();
    await open.startTransaction();
    await open.query('SELECT pg_current_xact_id()');
    try {
      await relay.drain();
      published.length = 0;
      for (let n = 50; n < 57; n++) await pg.store.append(stream(n), 0, [{ type: `held-${n}`, payload: {} }], meta);
      // Windows of two: each round reads past the rows it already sent, so all seven go out now, each once.
      expect(await relay.drain()).toBe(7);
      expect(published.map((m) => (m.value as EventEnvelope).type)).toEqual([50, 51, 52, 53, 54, 55, 56].map((n) => `held-${n}`));
      expect(await relay.drain()).toBe(0);
    } finally {
      await open.commitTransaction();
      await open.release();
    }
    for (const deadline = Date.now() + 30_000; (await relay.pending()) > 0 && Date.now() < deadline;) {
      await relay.drain();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await relay.pending()).toBe(0);
    expect(published).toHaveLength(7);
  });

  it('an append announced while a round finds nothing is published at once, not after the idle poll', async () => {
    // The relay's own pool, whose connections run `during` right after a round's read returned: an append
    // that commits (and wakes the relay) while the round is still going.
    const relayDb = await openServiceDatabase({ url: pg.databaseUrl, schema: 'outbox_test', poolSize: 2, migrate: false });
    let during: (() => Promise<unknown>) | undefined;
    type Client = { query: (...args: unknown[]) => unknown; hooked?: boolean };
    const pool = (relayDb.driver as unknown as { master: { on(e: 'acquire', f: (client: Client) => void): void } }).master;
    pool.on('acquire', (client) => {
      if (client.hooked) return;
      client.hooked = true;
      const query = client.query.bind(client);
      client.query = (...args: unknown[]) => {
        const result = query(...args);
        const hook = during;
        if (!hook || (args[0] as { name?: string } | undefined)?.name !== 'relay_round') return result;
        during = undefined;
        return (result as Promise<unknown>).then(async (rows) => (await hook(), rows));
      };
    });
    const published: string[] = [];
    const transport: MessageTransport = Object.assign(new InProcessTransport(logger), {
      publish: async (messages: OutgoingMessage[]) => void published.push(...messages.map((m) => (m.value as EventEnvelope).type)),
    });
    const relay = new OutboxRelay(relayDb, transport, logger, { name: 'wake', idlePollMs: 60_000 });
    const offAppended = pg.store.onAppended(() => relay.wake());
    relay.start();
    try {
      for (const deadline = Date.now() + 30_000; (await relay.pending()) > 0 && Date.now() < deadline;)
        await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300));
      published.length = 0;
      during = () => pg.store.append(stream(60), 0, [{ type: 'appended-during-an-empty-round', payload: {} }], meta);
      relay.wake();
      for (const deadline = Date.now() + 5_000; published.length === 0 && Date.now() < deadline;)
        await new Promise((r) => setTimeout(r, 20));
      expect(during).toBeUndefined();
      expect(published).toEqual(['appended-during-an-empty-round']);
    } finally {
      offAppended();
      await relay.stop();
      await relayDb.destroy();
    }
  });

  it('keeps its place when the transport fails, and publishes what waited once it is back', async () => {
    let down = false;
    const delivered: string[] = [];
    const transport: MessageTransport = Object.assign(new InProcessTransport(logger), {
      publish: async (messages: OutgoingMessage[]) => {
        if (down) throw new Error('broker unreachable');
        delivered.push(...messages.map((m) => (m.value as EventEnvelope).type));
      },
    });
    const relay = new OutboxRelay(pg.db, transport, logger, { name: 'outage', idlePollMs: 10, maxBackoffMs: 50 });
    await relay.drain(); // catch up with the earlier tests' events
    delivered.length = 0;
    down = true;
    await pg.store.append(stream(20), 0, [{ type: 'during-outage-1', payload: {} }], meta);
    await pg.store.append(stream(20), 1, [{ type: 'during-outage-2', payload: {} }], meta);
    relay.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(delivered).toEqual([]);
    expect(await relay.pending()).toBe(2);
    down = false;
    const deadline = Date.now() + 5_000;
    while (delivered.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await relay.stop();
    expect(delivered).toEqual(['during-outage-1', 'during-outage-2']);
    expect(await relay.pending()).toBe(0);
  });

  it('forwards queued commands after their transaction commits, and only once', async () => {
    const seen: string[] = [];
    const transport = new InProcessTransport(logger);
    await transport.subscribe({
      groupId: 'commands',
      topics: ['privatelink.connection-broker.commands'],
      handler: async (m) => void seen.push(m.value.type),
    });
    const relay = new OutboxRelay(pg.db, transport, logger, { name: 'commands' });
    await relay.drain();
    const command = {
      kind: 'command' as const,
      commandId: '00000000-0000-4000-8000-000000000001',
      targetId: 'vpce-00000000000000001',
      type: 'acceptConnection',
      schemaVersion: 1,
      payload: {},
      metadata: { principal: 'p', correlationId: 'c', causationId: null, occurredAt: new Date().toISOString() },
    };
    await pg.db.transaction((tx) => pg.store.enqueue('privatelink.connection-broker.commands', command, tx));
    expect(await relay.drain()).toBe(1);
    expect(await relay.drain()).toBe(0);
    expect(seen).toEqual(['acceptConnection']);
  });

  it('only one relay per name publishes at a time (advisory lock)', async () => {
    const { transport } = await recordingTransport();
    const a = new OutboxRelay(pg.db, transport, logger, { name: 'singleton', idlePollMs: 10 });
    const b = new OutboxRelay(pg.db, transport, logger, { name: 'singleton', idlePollMs: 10 });
    a.start();
    await new Promise((r) => setTimeout(r, 100));
    b.start();
    await new Promise((r) => setTimeout(r, 100));
    const holders = await pg.db.query(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid::bigint = (hashtext('outbox-relay:singleton')::bigint & 4294967295)`,
    );
    expect(holders[0].n).toBe(1);
    await Promise.all([a.stop(), b.stop()]);
  });
});

describe('a standby relay in another process', () => {
  it('the publishing relay is woken by NOTIFY from a process whose relay stands by, without waiting for its poll', async () => {
    const { url } = await startPostgres();
    const databaseUrl = await freshDatabase(url, 'notify');
    const a = await openServiceDatabase({ url: databaseUrl, schema: 'notify_test', poolSize: 4 });
    const b = await openServiceDatabase({ url: databaseUrl, schema: 'notify_test', poolSize: 4 });
    const { transport, seen } = await recordingTransport();
    // A long idle poll: only a NOTIFY can make the relay publish quickly.
    const publishing = new OutboxRelay(a, transport, logger, { name: 'notify', idlePollMs: 60_000 });
    publishing.start();
    const deadline = Date.now() + 5_000;
    while (!publishing.isPublishing && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(publishing.isPublishing).toBe(true);
    await new Promise((r) => setTimeout(r, 100)); // the relay is now asleep in its long poll
    const otherStore = new EventStore(b);
    await otherStore.append(stream(30), 0, [{ type: 'from-other-process', payload: {} }], meta);
    await b.query(`SELECT pg_notify($1, '')`, [OutboxRelay.channelFor('notify')]);
    const until = Date.now() + 5_000;
    while (!seen.some((e) => e.type === 'from-other-process') && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(seen.map((e) => e.type)).toContain('from-other-process');
    await publishing.stop();
    await a.destroy();
    await b.destroy();
  });
});

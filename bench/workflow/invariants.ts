import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { parseStreamId } from '@privatelink/contracts';
import {
  EndpointConnectionEvent,
  EndpointConnectionState,
  QuotaLedgerEvent,
  QuotaLedgerState,
  endpointConnectionDecider,
  quotaLedgerDecider,
} from '@privatelink/domain';
import { sleep } from './http';
import { ServiceUnderLoad, Workload } from './workload';

/**
 * What must hold after a run, checked from the services' databases, the SQS queues behind the SNS topics
 * and the Kafka topics, never from logs (DESIGN.md section 10): nothing stuck, no stream version skipped or
 * repeated, no event id twice, every quota ledger equal to a recount of the live endpoints, every
 * notification event delivered exactly once, nothing dead-lettered, nothing left in an outbox, every
 * service ready.
 */
export interface Check {
  name: string;
  value: number;
  ok: boolean;
  /** A few examples of what failed, for the reader. */
  detail?: string;
}

export interface InvariantReport {
  checks: Check[];
  ok: boolean;
  /** Counts that explain the checks (states, deliveries, dead letters per topic). */
  facts: Record<string, unknown>;
}

const SETTLED = new Set(['available', 'rejected', 'failed', 'deleted']);
const LIVE = new Set(['pendingAcceptance', 'available']);

export interface InvariantOptions {
  databaseUrl: string;
  /** Kafka brokers and the run's namespace, for the dead-letter topics (absent in the embedded shape). */
  kafka?: { brokers: string[]; namespace: string };
  services: ServiceUnderLoad[];
  workload: Workload;
  readiness: Record<string, boolean>;
}

/** Connection streams still moving: a request not at rest, outbox rows not yet published, deliveries not yet sent. */
export async function backlog(pool: Pool): Promise<{ moving: number; outbox: number; deliveries: number }> {
  const schemas = await eventSchemas(pool);
  let outbox = 0;
  for (const s of schemas) outbox += await outboxBacklog(pool, s);
  const [{ moving }] = (
    await pool.query(
      `SELECT count(*)::int AS moving FROM (
         SELECT DISTINCT ON (stream_id) stream_id, payload->>'stateAfter' AS state
           FROM connection_broker.es_events WHERE payload ? 'stateAfter' ORDER BY stream_id, stream_version DESC) s
        WHERE state IN ('pending', 'deleting')`,
    )
  ).rows;
  const deliveries = schemas.includes('notifier')
    ? Number((await pool.query(`SELECT count(*)::int AS n FROM notifier.nt_delivery_queue WHERE state = 'pending'`)).rows[0].n)
    : 0;
  return { moving, outbox, deliveries };
}

/** Waits until nothing moves any more (or `timeoutMs`): returns how long it took, null on timeout. */
export async function waitForQuiet(databaseUrl: string, timeoutMs: number, say: (m: string) => void): Promise<number | null> {
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  const t0 = Date.now();
  let lastSaid = 0;
  try {
    for (;;) {
      const b = await backlog(pool).catch(() => null);
      if (b && b.moving === 0 && b.outbox === 0 && b.deliveries === 0) return Date.now() - t0;
      if (Date.now() - t0 > timeoutMs) return null;
      if (Date.now() - lastSaid > 10_000) {
        lastSaid = Date.now();
        say(
          `  settling: ${b ? `${b.moving} requests pending/deleting, outbox ${b.outbox}, deliveries pending ${b.deliveries}` : 'database unavailable'}`,
        );
      }
      await sleep(500);
    }
  } finally {
    await pool.end();
  }
}

export async function checkInvariants(o: InvariantOptions): Promise<InvariantReport> {
  const pool = new Pool({ connectionString: o.databaseUrl, max: 3 });
  const checks: Check[] = [];
  const facts: Record<string, unknown> = {};
  const add = (name: string, failures: string[], value = failures.length) =>
    checks.push({ name, value, ok: value === 0, detail: failures.slice(0, 5).join('; ') || undefined });
  try {
    const schemas = await eventSchemas(pool);

    // 1. Every connection request at rest: an end state, no quota or attachment step outstanding.
    const connections = await foldConnections(pool);
    const byState: Record<string, number> = {};
    for (const c of connections.values()) byState[c.vpcEndpointState] = (byState[c.vpcEndpointState] ?? 0) + 1;
    facts.connectionsByState = byState;
    add(
      'stuck requests (not at an end state, or a quota/attachment step outstanding)',
      [...connections.values()]
        .filter(
          (c) =>
            !SETTLED.has(c.vpcEndpointState) ||
            c.quota === 'requested' ||
            c.attachment === 'requested' ||
            c.attachment === 'detachRequested',
        )
        .map((c) => `${c.vpcEndpointId} ${c.vpcEndpointState} quota=${c.quota} attachment=${c.attachment}`),
    );
    add(
      'workflows the clients could not finish',
      o.workload.records
        .filter((r) => !r.endState)
        .map((r) => `#${r.n} ${r.vpcEndpointId ?? '(never created)'}: ${r.problem ?? 'unfinished'}`),
    );

    // 2. Stream versions 1..n in every event store, and read models that reached their owner's last version.
    const badStreams: string[] = [];
    for (const s of schemas) {
      const rows = (
        await pool.query(
          `SELECT stream_id, count(*)::int AS n, count(DISTINCT stream_version)::int AS d, min(stream_version) AS lo, max(stream_version) AS hi
             FROM ${s}.es_events GROUP BY stream_id HAVING count(*) <> max(stream_version) OR count(DISTINCT stream_version) <> count(*) OR min(stream_version) <> 1`,
        )
      ).rows;
      for (const r of rows) badStreams.push(`${s}:${r.stream_id} has ${r.n} events for versions ${r.lo}..${r.hi}`);
    }
    add('skipped or repeated stream versions (event stores)', badStreams);
    add('read models behind or apart from their owner stream', await readModelGaps(pool, schemas, connections));

    // 3. Event ids unique across every store.
    const union = schemas.map((s) => `SELECT event_id FROM ${s}.es_events`).join(' UNION ALL ');
    const dupes = (
      await pool.query(`SELECT event_id::text, count(*)::int AS n FROM (${union}) e GROUP BY event_id HAVING count(*) > 1 LIMIT 100`)
    ).rows;
    add(
      'duplicated event ids',
      dupes.map((d) => `${d.event_id} ×${d.n}`),
    );

    // 4. Quota ledgers equal a recount of the live endpoints.
    add('ledgers that differ from a recount of live endpoints', await ledgerDifferences(pool, connections, facts));

    // 5. Notifications: every connection event of a watched service delivered exactly once, none lost in SQS.
    await notificationChecks(pool, o.services, add, facts);

    // 6. Dead letters: messages on the run's dead-letter topics; notifier's failed deliveries.
    const dead = o.kafka ? await deadLetters(o.kafka) : {};
    facts.deadLettersByTopic = dead;
    add(
      'dead letters (Kafka dead-letter topics)',
      Object.entries(dead).map(([t, n]) => `${t}: ${n}`),
      Object.values(dead).reduce((a, b) => a + b, 0),
    );
    const failedDeliveries = schemas.includes('notifier')
      ? (await pool.query(`SELECT delivery_id FROM notifier.nt_delivery_queue WHERE state = 'failed'`)).rows.map((r) =>
          String(r.delivery_id),
        )
      : [];
    add('notification deliveries failed (dead-lettered by notifier)', failedDeliveries);

    // 7. Outboxes empty.
    const outbox: Record<string, number> = {};
    for (const s of schemas) outbox[s] = await outboxBacklog(pool, s);
    facts.outboxBacklog = outbox;
    add(
      'outbox backlog (events and commands not yet published)',
      Object.entries(outbox)
        .filter(([, n]) => n > 0)
        .map(([s, n]) => `${s}: ${n}`),
      Object.values(outbox).reduce((a, b) => a + b, 0),
    );

    // 8. Every service ready.
    add(
      'services not ready at the end',
      Object.entries(o.readiness)
        .filter(([, up]) => !up)
        .map(([n]) => n),
    );
  } finally {
    await pool.end();
  }
  return { checks, ok: checks.every((c) => c.ok), facts };
}

async function eventSchemas(pool: Pool): Promise<string[]> {
  const rows = (await pool.query(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'es_events' ORDER BY 1`)).rows;
  return rows.map((r) => String(r.table_schema)).filter((s) => /^[a-z_]+$/.test(s));
}

async function outboxBacklog(pool: Pool, schema: string): Promise<number> {
  const [row] = (
    await pool.query(
      `SELECT (SELECT count(*) FROM ${schema}.es_events e WHERE (e.transaction_id, e.position) >
                 coalesce((SELECT (c.transaction_id, c.position) FROM ${schema}.es_relay_checkpoints c ORDER BY c.transaction_id LIMIT 1), ('0'::xid8, 0::bigint)))
            + (SELECT count(*) FROM ${schema}.es_outbox) AS pending`,
    )
  ).rows;
  return Number(row?.pending ?? 0);
}

/** connection-broker's connections, folded from its own event store with the connection decider. */
async function foldConnections(pool: Pool): Promise<Map<string, EndpointConnectionState>> {
  const rows = (
    await pool.query(
      `SELECT stream_id, payload FROM connection_broker.es_events WHERE stream_id LIKE 'endpoint-connection-%' ORDER BY stream_id, stream_version`,
    )
  ).rows;
  const out = new Map<string, EndpointConnectionState>();
  const states = new Map<string, EndpointConnectionState | null>();
  for (const r of rows) {
    const next = endpointConnectionDecider.evolve(
      states.get(r.stream_id) ?? endpointConnectionDecider.initialState,
      r.payload as EndpointConnectionEvent,
    );
    states.set(r.stream_id, next);
  }
  for (const s of states.values()) if (s) out.set(s.vpcEndpointId, s);
  return out;
}

/**
 * Projections fed from another service's streams: each checkpoint must have reached the owner's last version,
 * every owner stream of a family the projection follows must have reached it, and endpoint-api's connection
 * read model must show the state the broker has.
 */
async function readModelGaps(pool: Pool, schemas: string[], connections: Map<string, EndpointConnectionState>): Promise<string[]> {
  const owners = new Map<string, number>();
  for (const s of schemas) {
    for (const r of (await pool.query(`SELECT stream_id, max(stream_version)::int AS v FROM ${s}.es_events GROUP BY stream_id`)).rows)
      owners.set(r.stream_id, r.v);
  }
  const gaps: string[] = [];
  for (const s of schemas) {
    const rows = (await pool.query(`SELECT projection, stream_id, stream_version FROM ${s}.proj_checkpoints`)).rows;
    const seen = new Map<string, Set<string>>();
    for (const r of rows) {
      const family = familyOf(r.stream_id);
      if (!seen.has(r.projection)) seen.set(r.projection, new Set());
      seen.get(r.projection)!.add(family);
      const owner = owners.get(r.stream_id);
      if (owner !== undefined && owner !== r.stream_version)
        gaps.push(`${s}.${r.projection} has ${r.stream_id} at ${r.stream_version} of ${owner}`);
    }
    const have = new Set(rows.map((r) => `${r.projection} ${r.stream_id}`));
    for (const [projection, families] of seen) {
      for (const streamId of owners.keys()) {
        if (families.has(familyOf(streamId)) && !have.has(`${projection} ${streamId}`))
          gaps.push(`${s}.${projection} never saw ${streamId}`);
      }
    }
  }
  if (schemas.includes('endpoint_api')) {
    const docs = new Map(
      (await pool.query(`SELECT id, state FROM endpoint_api.rm_endpoint_connections`)).rows.map((r) => [String(r.id), String(r.state)]),
    );
    for (const c of connections.values()) {
      const seen = docs.get(c.vpcEndpointId);
      if (seen !== c.vpcEndpointState)
        gaps.push(`consumer API shows ${c.vpcEndpointId} ${seen ?? 'missing (404)'}, broker has it ${c.vpcEndpointState}`);
    }
  }
  return gaps;
}

function familyOf(streamId: string): string {
  try {
    return parseStreamId(streamId).family;
  } catch {
    return streamId;
  }
}

/** The connection ledgers (per VPC, per consumer per service) against the endpoints the broker has live. */
async function ledgerDifferences(
  pool: Pool,
  connections: Map<string, EndpointConnectionState>,
  facts: Record<string, unknown>,
): Promise<string[]> {
  const rows = (
    await pool.query(
      `SELECT stream_id, payload FROM quota_guard.es_events WHERE stream_id LIKE 'quota-ledger-%' ORDER BY stream_id, stream_version`,
    )
  ).rows;
  const ledgers = new Map<string, QuotaLedgerState | null>();
  for (const r of rows)
    ledgers.set(
      r.stream_id,
      quotaLedgerDecider.evolve(ledgers.get(r.stream_id) ?? quotaLedgerDecider.initialState, r.payload as QuotaLedgerEvent),
    );
  const expected = new Map<string, Set<string>>();
  const expect = (key: string, id: string) => (expected.get(key) ?? expected.set(key, new Set()).get(key)!).add(id);
  for (const c of connections.values()) {
    const live = LIVE.has(c.vpcEndpointState) || (c.vpcEndpointState === 'pending' && c.quota === 'granted');
    if (!live) continue;
    expect(`vpc-endpoints-per-vpc/${c.vpcEndpointOwner}/${c.vpcId}`, c.vpcEndpointId);
    expect(`connections-per-consumer-per-service/${c.serviceId}/${c.vpcEndpointOwner}`, c.vpcEndpointId);
  }
  const wrong: string[] = [];
  const counted = new Set<string>();
  let compared = 0;
  for (const ledger of ledgers.values()) {
    if (!ledger || (ledger.code !== 'vpc-endpoints-per-vpc' && ledger.code !== 'connections-per-consumer-per-service')) continue;
    const key = `${ledger.code}/${ledger.scopeKey}`;
    counted.add(key);
    compared += 1;
    const want = expected.get(key) ?? new Set<string>();
    const held = Object.keys(ledger.holdings);
    const extra = held.filter((id) => !want.has(id));
    const missing = [...want].filter((id) => !ledger.holdings[id]);
    // Attached (pendingAcceptance, available) is when quota-guard confirms; a reservation left unconfirmed lapses.
    const unconfirmed = held.filter(
      (id) => want.has(id) && LIVE.has(connections.get(id)?.vpcEndpointState ?? '') && ledger.holdings[id].status !== 'confirmed',
    );
    if (extra.length || missing.length || unconfirmed.length || ledger.usage !== want.size) {
      wrong.push(
        `${key}: usage ${ledger.usage}, live ${want.size}${extra.length ? `, holds ${extra.length} not live` : ''}${missing.length ? `, misses ${missing.length} live` : ''}${unconfirmed.length ? `, ${unconfirmed.length} live unconfirmed` : ''}`,
      );
    }
  }
  for (const [key, ids] of expected) if (!counted.has(key)) wrong.push(`${key}: no ledger, live ${ids.size}`);
  facts.ledgersCompared = compared;
  return wrong;
}

async function notificationChecks(
  pool: Pool,
  services: ServiceUnderLoad[],
  add: (name: string, failures: string[], value?: number) => void,
  facts: Record<string, unknown>,
): Promise<void> {
  const watched = services.filter((s) => s.topic && s.notificationId);
  if (watched.length === 0) return;
  // What arrived in SQS, per (event id, notification).
  const arrived = new Map<string, number>();
  for (const s of watched) {
    for (const m of await s.topic!.drain(3, 180_000)) {
      const key = `${m.body.eventId}/${m.body.connectionNotificationId}`;
      arrived.set(key, (arrived.get(key) ?? 0) + 1);
    }
  }
  // What should have: every connection event of a watched service (all four events are configured).
  const events = (
    await pool.query(
      `SELECT event_id::text, payload->>'serviceId' AS service_id FROM connection_broker.es_events WHERE payload ? 'connectionEvent' AND payload->>'serviceId' = ANY($1)`,
      [watched.map((s) => s.serviceId)],
    )
  ).rows;
  const notificationOf = new Map(watched.map((s) => [s.serviceId, s.notificationId!]));
  // What SNS accepted, de-duplicated or not: the notifier publishes again when it died between a publish and
  // its record (at least once by design); the FIFO topic's deduplication id, the event id, absorbs the copy.
  let published = 0;
  const publishedKeys = new Set<string>();
  for (const s of watched) {
    for (const body of await s.topic!.publishes()) {
      published += 1;
      publishedKeys.add(`${body.eventId}/${body.connectionNotificationId}`);
    }
  }
  const notExactlyOnce: string[] = [];
  let doubled = 0;
  let missing = 0;
  for (const e of events) {
    const n = arrived.get(`${e.event_id}/${notificationOf.get(e.service_id)}`) ?? 0;
    if (n !== 1) notExactlyOnce.push(`${e.event_id}: ${n} deliveries`);
    if (n === 0) missing += 1;
    if (n > 1) doubled += 1;
  }
  facts.notifications = {
    expected: events.length,
    arrived: [...arrived.values()].reduce((a, b) => a + b, 0),
    missing,
    doubled,
    publishedToSns: published,
    republishedAndDeduplicated: published - publishedKeys.size,
    // Of those, the copies SQS's deduplication interval drops that moto let through (the first was read already).
    absorbedAfterRead: watched.reduce((n, s) => n + s.topic!.absorbedByDeduplication, 0),
  };
  add('notification events without exactly one delivery', notExactlyOnce);
  const delivered = (
    await pool.query(
      `SELECT delivery_id, source_event_id, connection_notification_id FROM notifier.nt_delivery_queue WHERE state = 'delivered'`,
    )
  ).rows;
  const byState = (await pool.query(`SELECT state, count(*)::int AS n FROM notifier.nt_delivery_queue GROUP BY state`)).rows;
  facts.deliveriesByState = Object.fromEntries(byState.map((r) => [r.state, r.n]));
  add(
    'SQS messages lost (delivered by notifier, not in the queue)',
    delivered.filter((d) => !arrived.has(`${d.source_event_id}/${d.connection_notification_id}`)).map((d) => String(d.delivery_id)),
  );
}

/** Messages on the namespace's dead-letter topics, per topic. */
async function deadLetters(kafka: { brokers: string[]; namespace: string }): Promise<Record<string, number>> {
  const admin = new Kafka({ clientId: 'invariants', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${kafka.namespace}.`) && t.endsWith('.dead-letter'));
    const out: Record<string, number> = {};
    for (const t of topics) {
      const n = (await admin.fetchTopicOffsets(t)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
      if (n > 0) out[t.slice(kafka.namespace.length + 1)] = n;
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}

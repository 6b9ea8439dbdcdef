import { allEventTopics, EventEnvelope, parseStreamId } from '@privatelink/contracts';
import { sqlMigration } from '@privatelink/eventstore';
import { PageTokens, ServiceRuntime } from '@privatelink/platform';
import { summarizeEvent } from './event-summary';

/**
 * The audit history: every event of every service's streams, as the services' outbox relays publish them
 * from their event stores, kept here once each (by event id) under the id of the resource its stream is
 * about (`endpoint-service-vpce-svc-…` and `private-dns-verification-vpce-svc-…` are both the service's).
 * endpoint-api reads no other service's tables, so the history comes the way every read model here comes:
 * from the topics. A new deployment's group reads the topics from the beginning (what Kafka retains).
 */
export const CreateHistory1765100000000 = sqlMigration('CreateHistory1765100000000', {
  up: [
    `
      CREATE TABLE api_history (
        event_id        uuid        PRIMARY KEY,
        resource_id     text        NOT NULL,
        stream_id       text        NOT NULL,
        stream_version  integer     NOT NULL,
        type            text        NOT NULL,
        occurred_at     timestamptz NOT NULL,
        principal       text        NOT NULL,
        correlation_id  text,
        causation_id    text,
        payload         jsonb       NOT NULL,
        CONSTRAINT api_history_stream_version UNIQUE (stream_id, stream_version)
      )`,
    `CREATE INDEX api_history_resource ON api_history (resource_id, occurred_at, stream_id, stream_version)`,
  ],
  down: ['DROP TABLE api_history'],
});

/**
 * Keeps every event; a redelivered one (same event id, or same stream version) is ignored. What a partition
 * has waiting goes in as one multi-row INSERT: the history group reads every topic, so one statement per
 * event made it the largest user of endpoint-api's pool under load.
 */
export function registerHistory(runtime: ServiceRuntime): void {
  const keep = (events: EventEnvelope[]) => keepInHistory(runtime, events);
  runtime.addConsumer('history', allEventTopics, (event) => keep([event]), { batch: keep });
}

/** One INSERT for the events, in their order; one already kept (or twice in the list) is kept once. */
export async function keepInHistory(runtime: ServiceRuntime, events: EventEnvelope[]): Promise<void> {
  if (events.length === 0) return;
  const columns = 10;
  const values = events.map((_, i) => `(${Array.from({ length: columns }, (__, c) => `$${i * columns + c + 1}`).join(', ')})`);
  await runtime.db.query(
    `INSERT INTO api_history (event_id, resource_id, stream_id, stream_version, type, occurred_at, principal, correlation_id, causation_id, payload)
     VALUES ${values.join(', ')} ON CONFLICT DO NOTHING`,
    events.flatMap(historyRow),
  );
}

function historyRow(event: EventEnvelope): unknown[] {
  return [
    event.eventId,
    parseStreamId(event.streamId).aggregateId,
    event.streamId,
    event.streamVersion,
    event.type,
    event.metadata.occurredAt,
    event.metadata.principal,
    event.metadata.correlationId ?? null,
    event.metadata.causationId ?? null,
    JSON.stringify(event.payload),
  ];
}

export interface HistoryEntry {
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  occurredAt: string;
  principal: string;
  correlationId: string | null;
  causationId: string | null;
  summary: string;
  payload: Record<string, unknown>;
}

/** A kept event as the page reads it: the entry but its summary, and its time as the database gives it. */
type Row = Omit<HistoryEntry, 'occurredAt' | 'summary'> & { occurredAt: Date };

/**
 * One page of a resource's history, oldest first: by time, then stream, then version (one stream's events
 * keep their order; two streams' events interleave by when they happened). The token is the last entry's key.
 */
export async function historyPage(
  runtime: ServiceRuntime,
  tokens: PageTokens,
  resourceId: string,
  options: { maxResults: number; nextToken?: string },
): Promise<{ events: HistoryEntry[]; nextToken?: string }> {
  const fingerprint = JSON.stringify(['history', resourceId]);
  const after = tokens.decode(options.nextToken, fingerprint);
  const [at, stream, version] = after ? (JSON.parse(after) as [string, string, number]) : [null, null, null];
  const rows: Row[] = await runtime.db.query(
    `SELECT event_id AS "eventId", stream_id AS "streamId", stream_version AS "streamVersion", type, occurred_at AS "occurredAt",
            principal, correlation_id AS "correlationId", causation_id AS "causationId", payload
     FROM api_history
     WHERE resource_id = $1 AND ($2::timestamptz IS NULL OR (occurred_at, stream_id, stream_version) > ($2::timestamptz, $3::text, $4::integer))
     ORDER BY occurred_at, stream_id, stream_version LIMIT $5`,
    [resourceId, at, stream, version, options.maxResults + 1],
  );
  const page = rows.slice(0, options.maxResults);
  const last = page[page.length - 1];
  return {
    events: page.map(({ payload, ...r }) => ({
      ...r,
      occurredAt: r.occurredAt.toISOString(),
      summary: summarizeEvent(r.type, payload),
      payload,
    })),
    nextToken:
      rows.length > options.maxResults
        ? tokens.encode(JSON.stringify([last.occurredAt.toISOString(), last.streamId, last.streamVersion]), fingerprint)
        : undefined,
  };
}

/** Whether any event names the resource (an unknown id is a 404, not an empty history). */
export async function hasHistory(runtime: ServiceRuntime, resourceId: string): Promise<boolean> {
  const rows = await runtime.db.query(`SELECT 1 FROM api_history WHERE resource_id = $1 LIMIT 1`, [resourceId]);
  return rows.length > 0;
}

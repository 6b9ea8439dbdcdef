import { streamFamilies } from '@privatelink/contracts';
import { DeliveryAttemptOutcome, NotificationDelivery, notificationDeliveryDecider, RetryPolicy } from '@privatelink/domain';
import { classifyFailure } from '@privatelink/messaging';
import { Logger, PollingLoop, Store, defineAggregate, withSpanAfter } from '@privatelink/platform';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { EntityManager } from 'typeorm';
import { SnsMessage } from '../sns/sns-publisher';

export const deliveries = defineAggregate(notificationDeliveryDecider, streamFamilies.notificationDelivery);
export const deliveryStream = (deliveryId: string) => deliveries.streamOf(deliveryId);

export interface Publisher {
  publish(message: SnsMessage): Promise<DeliveryAttemptOutcome>;
}

interface QueueRow {
  delivery_id: string;
  connection_notification_id: string;
  vpc_endpoint_id: string;
  topic_arn: string;
  message: string;
  attributes: Record<string, string>;
  source_event_id: string;
  traceparent: string | null;
  tracestate: string | null;
}

// A claim is a lease: short, so the deliveries of a notifier that died are taken up again within half a minute,
// and renewed while their publish is in flight (a hung SNS can hold one for PRIVATELINK_SNS_REQUEST_TIMEOUT_MS),
// so no other notifier claims a delivery whose publish may still land.
const CLAIM_SECONDS = 30;
const RENEW_EVERY_MS = 5_000;

/**
 * Publishes due deliveries. Each round claims, for every (notification, endpoint) line, only its oldest
 * pending delivery (so one endpoint's messages go out in event order), publishes the claimed ones in
 * parallel and records each outcome with its event in one transaction. A claim is a 30 s lease renewed
 * every 5 s while its publish is in flight, so a worker that died between publishing and recording makes
 * the delivery go out again within half a minute (never lost; at worst twice, with the event id in the
 * body and as the FIFO deduplication id). Time comes from the clock.
 */
export class DeliveryWorker {
  private readonly loop: PollingLoop;

  constructor(
    private readonly runtime: Store,
    private readonly publisher: Publisher,
    private readonly policy: RetryPolicy,
    private readonly clock: () => Date,
    private readonly logger: Logger,
    private readonly options: { pollMs: number; batchSize?: number },
  ) {
    this.loop = new PollingLoop(
      () => this.tick(),
      options.pollMs,
      (error) =>
        this.logger.warn(
          { err: error },
          'delivery rounds are failing; retrying with backoff until they pass (nothing is dropped: deliveries are rows)',
        ),
      { onRecovered: (failedRounds, downMs) => this.logger.info({ failedRounds, downMs }, 'delivery rounds pass again') },
    );
  }

  /** Deliveries this worker has claimed and not yet recorded: their leases are renewed, never re-claimed here. */
  private readonly inFlight = new Set<string>();
  private stopping = false;
  private renewTimer: NodeJS.Timeout | undefined;

  start(): void {
    this.stopping = false;
    this.loop.start();
    this.renewTimer = setInterval(() => void this.renewClaims(), RENEW_EVERY_MS);
    this.renewTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.renewTimer);
    this.renewTimer = undefined;
    await this.loop.stop();
  }

  /** Extends the leases of the deliveries in flight; a database that is away is tried again at the next beat. */
  private async renewClaims(): Promise<void> {
    if (this.inFlight.size === 0) return;
    try {
      await this.runtime.db.query(
        `UPDATE nt_delivery_queue SET claimed_until = $1::timestamptz + make_interval(secs => ${CLAIM_SECONDS})
         WHERE delivery_id = ANY($2::text[]) AND state = 'pending'`,
        [this.clock().toISOString(), [...this.inFlight]],
      );
    } catch (error) {
      this.logger.debug({ err: error, inFlight: this.inFlight.size }, 'could not renew delivery claims; trying again at the next beat');
    }
  }

  wake(): void {
    this.loop.wake();
  }

  /** One round: claim what is due now, publish, record. Returns how many deliveries were attempted. */
  async tick(): Promise<number> {
    const now = this.clock();
    const claimed: QueueRow[] = await this.runtime.db.query(
      `WITH claimed AS (
         UPDATE nt_delivery_queue q SET claimed_until = $1::timestamptz + make_interval(secs => ${CLAIM_SECONDS})
         WHERE q.delivery_id IN (
           SELECT d.delivery_id FROM nt_delivery_queue d
           WHERE d.state = 'pending' AND d.next_attempt_at <= $1 AND (d.claimed_until IS NULL OR d.claimed_until < $1)
             AND NOT (d.delivery_id = ANY($4::text[]))
             AND NOT EXISTS (
               SELECT 1 FROM nt_delivery_queue e
               WHERE e.state = 'pending' AND e.connection_notification_id = d.connection_notification_id
                 AND e.vpc_endpoint_id = d.vpc_endpoint_id AND e.source_version < d.source_version)
           ORDER BY d.next_attempt_at
           LIMIT $2
           FOR UPDATE SKIP LOCKED)
         RETURNING q.*)
       -- The trace of the request that caused the delivery, from the delivery stream's first event.
       SELECT c.*, e.metadata->>'traceparent' AS traceparent, e.metadata->>'tracestate' AS tracestate
       FROM claimed c LEFT JOIN es_events e ON e.stream_id = $3 || c.delivery_id AND e.stream_version = 1`,
      [now.toISOString(), this.options.batchSize ?? 50, deliveryStream(''), [...this.inFlight]],
    );
    for (const row of claimed) this.inFlight.add(row.delivery_id);
    await Promise.all(
      claimed.map(async (row) => {
        try {
          await this.deliver(row, now);
        } finally {
          this.inFlight.delete(row.delivery_id);
        }
      }),
    );
    return claimed.length;
  }

  private async deliver(row: QueueRow, now: Date): Promise<void> {
    const trace = { traceparent: row.traceparent ?? undefined, tracestate: row.tracestate ?? undefined };
    const attributes = {
      'messaging.system': 'aws_sns',
      'messaging.destination.name': row.topic_arn,
      'privatelink.service': 'notifier',
    };
    const outcome = await withSpanAfter(trace, 'SNS Publish', { kind: SpanKind.PRODUCER, attributes }, async (span) => {
      const result = await this.publisher.publish({
        topicArn: row.topic_arn,
        message: row.message,
        attributes: row.attributes,
        deduplicationId: row.source_event_id,
        groupId: row.vpc_endpoint_id,
      });
      if (!result.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: result.error });
      return result;
    });
    if (!outcome.ok)
      this.logger.warn({ deliveryId: row.delivery_id, error: outcome.error, retryable: outcome.retryable }, 'SNS publish failed');
    const next = await this.recordUntilStored(row.delivery_id, outcome, now);
    // A retry due before the next poll: look again then, so the poll can stay slow when idle.
    if (next?.state === 'pending' && next.nextAttemptAt) {
      const inMs = Date.parse(next.nextAttemptAt) - this.clock().getTime();
      if (inMs < this.options.pollMs) this.loop.wakeIn(inMs);
    }
  }

  /**
   * The publish has happened: its outcome must be stored, or the delivery is published again once its claim
   * lapses (seen as doubled messages after a database restart). A database that is away is waited for,
   * with capped backoff, for as long as the worker runs.
   */
  private async recordUntilStored(deliveryId: string, outcome: DeliveryAttemptOutcome, now: Date): Promise<NotificationDelivery | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.record(deliveryId, outcome, now);
      } catch (error) {
        // A stopping notifier leaves it to the next one (its claim lapses), rather than hold up the stop.
        if (this.stopping || classifyFailure(error).kind === 'deterministic') throw error;
        if (attempt === 1)
          this.logger.warn({ deliveryId, err: error }, 'could not record an SNS publish; retrying until the database answers');
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 100 * 2 ** Math.min(attempt, 6))));
      }
    }
  }

  private async record(deliveryId: string, outcome: DeliveryAttemptOutcome, now: Date): Promise<NotificationDelivery | null> {
    const written = await this.runtime.handle(
      deliveries,
      deliveryId,
      { type: 'recordAttempt', outcome, policy: this.policy, now: now.toISOString(), random: Math.random() },
      this.runtime.reaction(deliveryId),
      { after: (w, tx) => updateQueue(tx, w.state) },
    );
    return written.state;
  }
}

/** Keeps the queue row in step with the delivery's state, in the transaction that wrote its events. */
export async function updateQueue(tx: EntityManager, delivery: NotificationDelivery | null): Promise<void> {
  if (!delivery) return;
  await tx.query(`UPDATE nt_delivery_queue SET state = $2, next_attempt_at = $3, claimed_until = NULL WHERE delivery_id = $1`, [
    delivery.deliveryId,
    delivery.state,
    delivery.nextAttemptAt,
  ]);
}

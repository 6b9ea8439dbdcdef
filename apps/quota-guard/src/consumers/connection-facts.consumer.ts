import { EventEnvelope, eventTopicFor, streamFamilies } from '@privatelink/contracts';
import type { QuotaGuardCore } from '../quota-guard.core';

/**
 * Keeps `qg_connections`: each connection's state after its latest state change, from connection-broker's
 * events, in its own consumer group. Applying an event is idempotent and order-safe (only a higher stream
 * version moves a row), so it needs no processed-message record.
 */
export class ConnectionFacts {
  constructor(private readonly core: QuotaGuardCore) {}

  register(): void {
    this.core.runtime.addConsumer('connection-facts', [eventTopicFor(streamFamilies.endpointConnection)], (event) => this.handle(event));
  }

  async handle(event: EventEnvelope): Promise<void> {
    const p = event.payload as { vpcEndpointId?: unknown; stateAfter?: unknown };
    if (typeof p.stateAfter !== 'string' || typeof p.vpcEndpointId !== 'string') return;
    await this.core.runtime.db.query(
      `INSERT INTO qg_connections (vpc_endpoint_id, state, stream_version) VALUES ($1, $2, $3)
       ON CONFLICT (vpc_endpoint_id) DO UPDATE SET state = EXCLUDED.state, stream_version = EXCLUDED.stream_version, updated_at = now()
       WHERE qg_connections.stream_version < EXCLUDED.stream_version`,
      [p.vpcEndpointId, p.stateAfter, event.streamVersion],
    );
  }
}

import { EventEnvelope, parseStreamId, streamFamilies } from '@privatelink/contracts';
import { Sql } from '@privatelink/eventstore';

/**
 * Keeps `qg_connections`: each connection's state after its latest state change, from connection-broker's
 * events (fed by the usage consumer, which reads that topic already: no consumer group of its own).
 * Applying an event is idempotent and order-safe (only a higher stream version moves a row), so it needs
 * no processed-message record.
 */
export class ConnectionFacts {
  constructor(private readonly db: Sql) {}

  async record(event: EventEnvelope): Promise<void> {
    if (parseStreamId(event.streamId).family !== streamFamilies.endpointConnection) return;
    const p = event.payload as { vpcEndpointId?: unknown; stateAfter?: unknown };
    if (typeof p.stateAfter !== 'string' || typeof p.vpcEndpointId !== 'string') return;
    await this.db.query(
      `INSERT INTO qg_connections (vpc_endpoint_id, state, stream_version) VALUES ($1, $2, $3)
       ON CONFLICT (vpc_endpoint_id) DO UPDATE SET state = EXCLUDED.state, stream_version = EXCLUDED.stream_version, updated_at = now()
       WHERE qg_connections.stream_version < EXCLUDED.stream_version`,
      [p.vpcEndpointId, p.stateAfter, event.streamVersion],
    );
  }
}

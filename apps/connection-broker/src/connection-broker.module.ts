import { Module } from '@nestjs/common';
import { ServiceRuntimeModule } from '@privatelink/platform';

/**
 * connection-broker: owns EndpointConnection streams and the acceptance workflow (issue: connection lifecycle).
 * Today it runs its own schema (event store, outbox relay), health and readiness; its aggregates arrive
 * with their issues.
 */
@Module({ imports: [ServiceRuntimeModule.register({ service: 'connection-broker' })] })
export class ConnectionBrokerModule {}

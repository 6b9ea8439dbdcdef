import { Module } from '@nestjs/common';
import { ServiceRuntimeModule } from '@privatelink/platform';

/**
 * dns-verifier: owns PrivateDnsVerification streams and the daily re-check (issue: dns-verifier).
 * Today it runs its own schema (event store, outbox relay), health and readiness; its aggregates arrive
 * with their issues.
 */
@Module({ imports: [ServiceRuntimeModule.register({ service: 'dns-verifier' })] })
export class DnsVerifierModule {}

import { Module } from '@nestjs/common';
import { ServiceRuntimeModule } from '@privatelink/platform';

/**
 * quota-guard: owns QuotaLedger streams and quota increase requests (issue: quota-guard).
 * Today it runs its own schema (event store, outbox relay), health and readiness; its aggregates arrive
 * with their issues.
 */
@Module({ imports: [ServiceRuntimeModule.register({ service: 'quota-guard' })] })
export class QuotaGuardModule {}

import { Module } from '@nestjs/common';
import { ServiceRuntimeModule } from '@privatelink/platform';

/**
 * notifier: owns the NotificationDelivery log and SNS publishing (issue: notifier).
 * Today it runs its own schema (event store, outbox relay), health and readiness; its aggregates arrive
 * with their issues.
 */
@Module({ imports: [ServiceRuntimeModule.register({ service: 'notifier' })] })
export class NotifierModule {}

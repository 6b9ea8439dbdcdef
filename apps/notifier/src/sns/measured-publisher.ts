import { OpsMetrics } from '@privatelink/platform';
import { Publisher } from '../delivery/delivery-worker';

/**
 * Counts and times every publish the worker makes, by outcome: `published`, `retryable` (throttling, 5xx,
 * network: the delivery tries again later) or `permanent` (the topic refuses: the delivery fails).
 */
export function measuredPublisher(inner: Publisher, metrics: OpsMetrics): Publisher {
  metrics.initializeSnsSeries();
  return {
    async publish(message) {
      const started = process.hrtime.bigint();
      const outcome = await inner.publish(message);
      const label = outcome.ok ? 'published' : outcome.retryable ? 'retryable' : 'permanent';
      metrics.snsPublishes.inc({ outcome: label });
      metrics.snsPublishDuration.observe({ outcome: label }, Number(process.hrtime.bigint() - started) / 1e9);
      return outcome;
    },
  };
}

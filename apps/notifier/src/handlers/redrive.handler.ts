import { notifierCommands } from '@privatelink/contracts';
import { Clock, Store, commandHandler } from '@privatelink/platform';
import { DomainError } from '@privatelink/domain';
import { deliveries, updateQueue } from '../delivery/delivery-worker';

/** Ops re-drives a failed delivery: it is pending again, due now, with its attempts counted afresh. */
export function redriveDelivery(store: Store, clock: Clock, worker: { wake(): void }) {
  return commandHandler(notifierCommands.redriveDelivery, async (p, { tx, context }) => {
    const deliveryId = String(p.deliveryId ?? '');
    const written = await store.handle(
      deliveries,
      deliveryId,
      (state) => {
        if (!state) throw new DomainError('InvalidParameterValue', `notification delivery ${deliveryId} does not exist`, 'deliveryId');
        return { type: 'redriveDelivery', now: clock().toISOString() };
      },
      context,
      { tx, after: (w) => updateQueue(tx, w.state) },
    );
    worker.wake();
    return { deliveryId, state: written.state?.state ?? 'unknown', streamId: written.streamId, version: written.version };
  });
}

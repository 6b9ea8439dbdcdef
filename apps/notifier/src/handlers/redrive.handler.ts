import { notifierCommands } from '@privatelink/contracts';
import { commandHandler } from '@privatelink/platform';
import { DomainError } from '@privatelink/domain';
import type { NotifierCore } from '../notifier.core';
import { deliveries, updateQueue } from '../delivery/delivery-worker';

/** Ops re-drives a failed delivery: it is pending again, due now, with its attempts counted afresh. */
export function redriveDelivery(core: NotifierCore) {
  return commandHandler(notifierCommands.redriveDelivery, async (p, { tx, context }) => {
    const deliveryId = String(p.deliveryId ?? '');
    const written = await core.runtime.handle(
      deliveries,
      deliveryId,
      (state) => {
        if (!state) throw new DomainError('InvalidParameterValue', `notification delivery ${deliveryId} does not exist`, 'deliveryId');
        return { type: 'redriveDelivery', now: core.now().toISOString() };
      },
      context,
      { tx, after: (w) => updateQueue(tx, w.state) },
    );
    core.worker.wake();
    return { deliveryId, state: written.state?.state ?? 'unknown', streamId: written.streamId, version: written.version };
  });
}

import { notifierCommands } from '@privatelink/contracts';
import { commandHandler } from '@privatelink/platform';
import { DomainError, notificationDeliveryDecider } from '@privatelink/domain';
import type { NotifierCore } from '../notifier.core';
import { deliveryStream, updateQueue } from '../delivery/delivery-worker';

/** Ops re-drives a failed delivery: it is pending again, due now, with its attempts counted afresh. */
export function redriveDelivery(core: NotifierCore) {
  return commandHandler(notifierCommands.redriveDelivery, async (p, { tx, command }) => {
    const deliveryId = String(p.deliveryId ?? '');
    const streamId = deliveryStream(deliveryId);
    const { state, version } = await core.runtime.store.aggregate(
      streamId,
      notificationDeliveryDecider.evolve,
      notificationDeliveryDecider.initialState,
      tx,
    );
    if (!state) throw new DomainError('InvalidParameterValue', `notification delivery ${deliveryId} does not exist`, 'deliveryId');
    const events = notificationDeliveryDecider.decide({ type: 'redriveDelivery', now: core.now().toISOString() }, state);
    await core.runtime.appendIn(tx, streamId, version, events, {
      principal: command.metadata.principal,
      correlationId: command.metadata.correlationId,
      causationId: command.commandId,
    });
    const next = events.reduce(notificationDeliveryDecider.evolve, state);
    await updateQueue(tx, next);
    core.worker.wake();
    return { deliveryId, state: next?.state ?? 'unknown', streamId, version: version + events.length };
  });
}

import { command, ownedCommands } from './commands';

export const notifierService = 'notifier';

/** Ops re-drives a failed notification delivery (target = deliveryId). */
export interface RedriveDeliveryPayload {
  deliveryId: string;
  reason: string | null;
}

/** The delivery after the re-drive (its state), its stream and version (read-your-writes). */
export interface RedriveDeliveryResult {
  deliveryId: string;
  state: string;
  streamId: string;
  version: number;
}

export const notifierCommands = ownedCommands(notifierService, {
  redriveDelivery: command<RedriveDeliveryPayload, RedriveDeliveryResult>((p) => p.deliveryId),
});

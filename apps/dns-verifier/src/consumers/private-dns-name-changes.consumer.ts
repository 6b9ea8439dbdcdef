import { EventEnvelope } from '@privatelink/contracts';
import { PrivateDnsVerificationCommand, isDomainError, verificationDomainFor } from '@privatelink/domain';
import { Clock, Logger, Store } from '@privatelink/platform';
import { RandomSource, labelLengthFor } from '../random';
import { writeVerification } from '../handlers/verification-writes';

/**
 * The service's private DNS name as endpoint-api decides it: a name set at create or modify (or changed)
 * starts a verification with a fresh record; a removed name, or a deleted service, removes it. Idempotent
 * through the decider: each command carries the service stream's version, and older or repeated news
 * decides nothing, so a redelivered event changes nothing.
 */
export class PrivateDnsNameChanges {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly logger: Logger,
  ) {}

  async apply(event: EventEnvelope): Promise<void> {
    const command = this.commandFor(event);
    if (!command) return;
    const context = this.store.reaction(event.metadata.correlationId, event.eventId);
    try {
      await writeVerification(this.store, command.serviceId, () => command, context);
    } catch (error) {
      // A name endpoint-api accepted but this domain refuses is a bug to look at, not a message to retry forever.
      if (!isDomainError(error)) throw error;
      this.logger.error(
        { err: error, eventId: event.eventId, serviceId: command.serviceId },
        'private DNS name change refused by the verification',
      );
    }
  }

  private commandFor(event: EventEnvelope): (PrivateDnsVerificationCommand & { serviceId: string }) | null {
    const p = event.payload as { serviceId?: string; privateDnsName?: string | null };
    if (typeof p.serviceId !== 'string') return null;
    const now = this.clock().toISOString();
    switch (event.type) {
      case 'endpointServiceCreated':
      case 'endpointServicePrivateDnsNameSet': {
        if (typeof p.privateDnsName !== 'string') return null;
        const { random } = this;
        return {
          type: 'startVerification',
          serviceId: p.serviceId,
          privateDnsName: p.privateDnsName,
          label: random.label(labelLengthFor(verificationDomainFor(p.privateDnsName))),
          token: random.token(),
          dailySlotMs: random.dailySlotMs(),
          sourceVersion: event.streamVersion,
          now,
        };
      }
      case 'endpointServicePrivateDnsNameRemoved':
      case 'endpointServiceDeleting':
      case 'endpointServiceDeleted':
        return { type: 'removeVerification', serviceId: p.serviceId, sourceVersion: event.streamVersion, now };
      default:
        return null;
    }
  }
}

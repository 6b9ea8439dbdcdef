import { EventEnvelope, eventTopicFor, streamFamilies } from '@privatelink/contracts';
import { PrivateDnsVerificationCommand, isDomainError, verificationDomainFor } from '@privatelink/domain';
import type { DnsVerifierCore } from '../dns-verifier.core';
import { labelLengthFor } from '../random';
import { writeVerification } from '../handlers/verification-writes';

/**
 * The service's private DNS name as endpoint-api decides it: a name set at create or modify (or changed)
 * starts a verification with a fresh record; a removed name, or a deleted service, removes it. Idempotent
 * through the decider: each command carries the service stream's version, and older or repeated news
 * decides nothing, so a redelivered event changes nothing.
 */
export class PrivateDnsNameChanges {
  constructor(private readonly core: DnsVerifierCore) {}

  register(): void {
    this.core.runtime.addConsumer('private-dns-names', [eventTopicFor(streamFamilies.endpointService)], (event) => this.apply(event));
  }

  async apply(event: EventEnvelope): Promise<void> {
    const command = this.commandFor(event);
    if (!command) return;
    const context = {
      principal: `service:${this.core.runtime.service}`,
      correlationId: event.metadata.correlationId,
      causationId: event.eventId,
    };
    try {
      await writeVerification(this.core.runtime, command.serviceId, () => command, context);
    } catch (error) {
      // A name endpoint-api accepted but this domain refuses is a bug to look at, not a message to retry forever.
      if (!isDomainError(error)) throw error;
      this.core.logger.error(
        { err: error, eventId: event.eventId, serviceId: command.serviceId },
        'private DNS name change refused by the verification',
      );
    }
  }

  private commandFor(event: EventEnvelope): (PrivateDnsVerificationCommand & { serviceId: string }) | null {
    const p = event.payload as { serviceId?: string; privateDnsName?: string | null };
    if (typeof p.serviceId !== 'string') return null;
    const now = this.core.now().toISOString();
    switch (event.type) {
      case 'endpointServiceCreated':
      case 'endpointServicePrivateDnsNameSet': {
        if (typeof p.privateDnsName !== 'string') return null;
        const { random } = this.core;
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

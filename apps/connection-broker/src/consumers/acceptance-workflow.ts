import { CommandOutcome, EventEnvelope, MessageEnvelope, serviceAttachmentCommandId, payloadOf } from '@privatelink/contracts';
import { CONNECTION_STATE_REASONS, ConnectionStateReason, EndpointConnectionEvent } from '@privatelink/domain';
import { Clock, Logger, Store, WriteContext } from '@privatelink/platform';
import { ConnectionWriter } from '../handlers/connection-writes';
import { BrokerViews } from '../projections/broker-views';

/**
 * How long the checks wait for the broker's view of a service to reach what the edge validated against.
 * Short: a view still behind refuses nothing (the service's stream decides when the connection attaches),
 * and the wait holds up the partition.
 */
const VIEW_WAIT_MS = 5_000;

type Requested = Extract<EndpointConnectionEvent, { type: 'connectionRequested' }>;

/**
 * The acceptance workflow, a process manager. It keeps no state of its own: each step reads the
 * connection's stream, decides, and records the next step there, so a crash or a redelivery resumes
 * exactly where it stopped (a step already taken decides nothing).
 *
 *   connectionRequested (pending)
 *     → checks on the broker's views: service Available, requester allowed, a zone in common, private
 *       DNS name verified (if the service has one) → connectionFailed{stateReason} or (a view still behind
 *       the service version the edge validated against refuses nothing but the private DNS name)
 *     → connectionQuotaRequested → the quota port → connectionQuotaGranted | connectionFailed{QuotaExceeded}
 *     → connectionAttachRequested: `openServiceConnection` to endpoint-api, whose service stream decides
 *       (the linearization point of permission removal and service deletion)
 *     → its outcome: connectionAttached + connectionPendingAcceptance | connectionAutoAccepted,
 *       or connectionFailed{reason} (capacity given back)
 *   detach requests (reject, delete) → `closeServiceConnection` → its outcome: connectionDetached (→ deleted)
 * Every step has a deadline; WorkflowReconciler sends a step again or gives up on it (InternalFailure).
 */
export class AcceptanceWorkflow {
  constructor(
    private readonly store: Store,
    private readonly writer: ConnectionWriter,
    private readonly views: BrokerViews,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** A new request: the broker's checks, then the next step. */
  async onEvent(event: EventEnvelope): Promise<void> {
    if (event.type === 'connectionRequested') await this.check(event);
  }

  private async check(event: EventEnvelope): Promise<void> {
    const requested = payloadOf<Requested>(event);
    const evaluation = await this.views.evaluationOf(requested.serviceId, requested.observedServiceVersion ?? 0, VIEW_WAIT_MS);
    if (evaluation.serviceViewCurrent === false) {
      this.logger.warn(
        { serviceId: requested.serviceId, vpcEndpointId: requested.vpcEndpointId },
        'the view of the service is behind the edge; the service stream decides when the connection attaches',
      );
    }
    await this.store.transact((tx) =>
      this.writer.write(tx, requested.vpcEndpointId, () => evaluation, this.reaction(event.metadata.correlationId, event.eventId)),
    );
  }

  /** Every outcome passes here; the broker's own commands to endpoint-api are recognised by their ids. */
  async onOutcome(message: MessageEnvelope): Promise<void> {
    if (message.kind !== 'outcome') return;
    const ours = serviceAttachmentCommandId.parse(message.commandId);
    if (!ours) return;
    const context = this.reaction(message.metadata.correlationId, message.commandId);
    const now = this.clock().toISOString();
    await this.store.transact((tx) =>
      this.writer.write(
        tx,
        ours.vpcEndpointId,
        async (state) => {
          if (ours.kind === 'close') return { type: 'recordDetachment', now };
          const service = state ? await this.views.serviceView(state.serviceId, tx) : null;
          return { type: 'recordAttachment', outcome: attachmentOutcome(message), dns: await this.views.privateDnsFacts(service, tx), now };
        },
        context,
      ),
    );
  }

  private reaction(correlationId: string, causationId: string): WriteContext {
    return this.store.reaction(correlationId, causationId);
  }
}

/** endpoint-api's answer to openServiceConnection, as the connection's decider takes it. */
function attachmentOutcome(outcome: CommandOutcome) {
  if (outcome.ok) return { attached: true as const, acceptanceRequired: outcome.result?.acceptanceRequired !== false };
  const stated = outcome.error?.details?.stateReason;
  const reason: ConnectionStateReason = CONNECTION_STATE_REASONS.includes(stated as ConnectionStateReason)
    ? (stated as ConnectionStateReason)
    : 'ServiceUnavailable';
  return { attached: false as const, reason, message: outcome.error?.message ?? 'the endpoint service refused the connection' };
}

import { EntityManager } from 'typeorm';
import {
  CloseServiceConnectionPayload,
  OpenServiceConnectionPayload,
  serviceAttachmentCommands,
  streamFamilies,
} from '@privatelink/contracts';
import {
  EndpointConnectionCommand,
  EndpointConnectionEvent,
  EndpointConnectionState,
  WorkflowStep,
  endpointConnectionDecider,
  pendingStepOf,
} from '@privatelink/domain';
import { Clock, Handled, Store, WriteContext, defineAggregate } from '@privatelink/platform';
import { QuotaPort, QuotaRequest } from '../quota/quota.port';

export const connections = defineAggregate(endpointConnectionDecider, streamFamilies.endpointConnection);
export const connectionStream = (vpcEndpointId: string) => connections.streamOf(vpcEndpointId);

/** A connection's write: the store's answer (the stream version after it: what a read-your-writes read waits for). */
export interface ConnectionWrite extends Handled<EndpointConnectionState | null, EndpointConnectionEvent> {
  vpcEndpointId: string;
}

type Plan = (
  state: EndpointConnectionState | null,
) =>
  EndpointConnectionCommand | EndpointConnectionCommand[] | null | Promise<EndpointConnectionCommand | EndpointConnectionCommand[] | null>;

export class ConnectionWriter {
  constructor(
    private readonly store: Store,
    private readonly quota: QuotaPort,
    private readonly clock: Clock,
    private readonly stepDeadlineMs: number,
    private readonly workflowDuration: { observe(labels: { outcome: string }, seconds: number): void },
  ) {}

  /**
   * Every change to a connection goes through here, inside `tx`: load the stream, let `plan` name the
   * command(s) for the state found, decide them in turn, carry out the effects the events call for in the
   * same transaction, and append with the version that was loaded. The effects:
   * - `connectionQuotaRequested`: the quota port is asked; an immediate answer is decided at once;
   * - `connectionAttachRequested` / `connectionDetachRequested`: the command to endpoint-api is queued in the
   *   outbox (its id derived from the endpoint, so it is sent once however often this runs);
   * - `connectionQuotaReleased`: the quota port gives the capacity back;
   * - `connectionStepRetried`: the pending step's command is sent again (same id: its owner acts once);
   * - `connectionStepAbandoned`: what the abandoned step may hold is given back (release, detach).
   * The pending step's deadline (cb_workflow_deadlines) is set in the same transaction, from the state after.
   * A concurrent writer makes the append conflict: the savepoint is rolled back (effects included) and the
   * whole step runs again on the new state, so two racing commands end in one legal sequence of events.
   */
  async write(tx: EntityManager, vpcEndpointId: string, plan: Plan, context: WriteContext): Promise<ConnectionWrite> {
    const written = await this.store.handle(connections, vpcEndpointId, plan, context, {
      tx,
      react: (event, state) => this.carryOut(tx, event, state!, context),
      after: async ({ state, events }) => {
        this.observeWorkflow(state, events);
        if (events.length > 0) await this.trackDeadline(tx, vpcEndpointId, state);
      },
    });
    return { ...written, vpcEndpointId };
  }

  private async carryOut(
    tx: EntityManager,
    event: EndpointConnectionEvent,
    state: EndpointConnectionState,
    context: WriteContext,
  ): Promise<EndpointConnectionCommand | null> {
    switch (event.type) {
      case 'connectionQuotaRequested':
        return this.askQuota(tx, state, event.at);
      case 'connectionQuotaReleased':
        await this.quota.release(quotaRequestOf(state), tx);
        return null;
      case 'connectionAttachRequested':
        await this.sendAttach(tx, state, context);
        return null;
      case 'connectionDetachRequested':
        await this.sendDetach(tx, state, context);
        return null;
      case 'connectionStepRetried':
        if (event.step === 'quota') return this.askQuota(tx, state, event.at);
        if (event.step === 'attach') await this.sendAttach(tx, state, context);
        if (event.step === 'detach') await this.sendDetach(tx, state, context);
        return null;
      case 'connectionStepAbandoned':
        // The reservation may have been granted and the attachment made without the answer reaching us.
        if (event.step === 'quota') await this.quota.release(quotaRequestOf(state), tx);
        if (event.step === 'attach') await this.sendDetach(tx, state, context);
        return null;
      default:
        return null;
    }
  }

  /** Asks the quota port (again: the request keeps its command id); an immediate answer is decided at once. */
  private async askQuota(tx: EntityManager, state: EndpointConnectionState, at: string): Promise<EndpointConnectionCommand | null> {
    const answer = await this.quota.request(quotaRequestOf(state), tx);
    if (answer.decision === 'pending') return null;
    return {
      type: 'recordQuotaDecision',
      granted: answer.decision === 'granted',
      message: answer.decision === 'refused' ? answer.message : undefined,
      now: at,
    };
  }

  private sendAttach(tx: EntityManager, state: EndpointConnectionState, context: WriteContext): Promise<void> {
    const payload: OpenServiceConnectionPayload = {
      serviceId: state.serviceId,
      vpcEndpointId: state.vpcEndpointId,
      requesterPrincipal: state.requesterPrincipal,
      availabilityZoneIds: state.subnets.map((s) => s.availabilityZoneId),
    };
    return this.store.queue(serviceAttachmentCommands.open, payload, this.serviceContext(context), tx);
  }

  private sendDetach(tx: EntityManager, state: EndpointConnectionState, context: WriteContext): Promise<void> {
    const payload: CloseServiceConnectionPayload = { serviceId: state.serviceId, vpcEndpointId: state.vpcEndpointId };
    return this.store.queue(serviceAttachmentCommands.close, payload, this.serviceContext(context), tx);
  }

  /**
   * Sets the connection's deadline from the state after a write: the pending step is due again one
   * deadline from now (any progress restarts the clock); a connection waiting on nobody has none.
   */
  async trackDeadline(tx: EntityManager, vpcEndpointId: string, state: EndpointConnectionState | null): Promise<WorkflowStep | null> {
    const step = pendingStepOf(state);
    if (step === null) {
      await tx.query(`DELETE FROM cb_workflow_deadlines WHERE vpc_endpoint_id = $1`, [vpcEndpointId]);
      return null;
    }
    const dueAt = new Date(this.clock().getTime() + this.stepDeadlineMs).toISOString();
    await tx.query(
      `INSERT INTO cb_workflow_deadlines (vpc_endpoint_id, step, tries, due_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (vpc_endpoint_id) DO UPDATE SET step = EXCLUDED.step, tries = EXCLUDED.tries, due_at = EXCLUDED.due_at`,
      [vpcEndpointId, step, 1 + (state!.stepRetries ?? 0), dueAt],
    );
    return step;
  }

  /** The broker's commands to the service's owner go in its own name, in the write's correlation. */
  private serviceContext(context: WriteContext): WriteContext {
    return { ...this.store.reaction(context.correlationId, context.causationId), occurredAt: this.clock().toISOString() };
  }

  /** The workflow's end, measured from the request: available (auto-accepted), pendingAcceptance (the provider's turn) or failed. */
  private observeWorkflow(state: EndpointConnectionState | null, events: EndpointConnectionEvent[]): void {
    if (!state) return;
    for (const e of events) {
      const outcome =
        e.type === 'connectionAutoAccepted'
          ? 'available'
          : e.type === 'connectionPendingAcceptance'
            ? 'pendingAcceptance'
            : e.type === 'connectionFailed' && e.stateBefore === 'pending'
              ? 'failed'
              : null;
      if (outcome) this.workflowDuration.observe({ outcome }, Math.max(0, (Date.parse(e.at) - Date.parse(state.createdAt)) / 1000));
    }
  }

  /**
   * quota-guard's later answer to a `pending` quota request (see QuotaPort): the connection goes on to
   * attach to the service, or fails with QuotaExceeded; a connection deleted meanwhile gives a grant back.
   * Idempotent: an answer to a connection that is no longer waiting for one changes nothing.
   */
  recordQuotaDecision(
    vpcEndpointId: string,
    decision: { granted: boolean; message?: string },
    context: WriteContext,
  ): Promise<ConnectionWrite> {
    return this.store.transact((tx) =>
      this.write(
        tx,
        vpcEndpointId,
        () => ({ type: 'recordQuotaDecision', granted: decision.granted, message: decision.message, now: this.clock().toISOString() }),
        context,
      ),
    );
  }
}

function quotaRequestOf(state: EndpointConnectionState): QuotaRequest {
  return {
    vpcEndpointId: state.vpcEndpointId,
    consumerAccountId: state.vpcEndpointOwner,
    vpcId: state.vpcId,
    serviceId: state.serviceId,
    serviceOwner: state.serviceOwner,
    vpcEndpointType: state.vpcEndpointType,
    availabilityZoneIds: state.subnets.map((s) => s.availabilityZoneId),
  };
}

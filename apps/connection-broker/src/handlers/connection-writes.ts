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
import { WriteContext, defineAggregate } from '@privatelink/platform';
import type { ConnectionBrokerCore } from '../connection-broker.core';
import { QuotaRequest } from '../quota/quota.port';

export const connections = defineAggregate(endpointConnectionDecider, streamFamilies.endpointConnection);
export const connectionStream = (vpcEndpointId: string) => connections.streamOf(vpcEndpointId);

export interface ConnectionWrite {
  vpcEndpointId: string;
  state: EndpointConnectionState | null;
  /** The stream version after the write (what a read-your-writes read waits for). */
  version: number;
  events: EndpointConnectionEvent[];
}

type Plan = (
  state: EndpointConnectionState | null,
) =>
  EndpointConnectionCommand | EndpointConnectionCommand[] | null | Promise<EndpointConnectionCommand | EndpointConnectionCommand[] | null>;

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
export async function writeConnection(
  core: ConnectionBrokerCore,
  tx: EntityManager,
  vpcEndpointId: string,
  plan: Plan,
  context: WriteContext,
): Promise<ConnectionWrite> {
  const written = await core.runtime.handle(connections, vpcEndpointId, plan, context, {
    tx,
    react: (event, state) => carryOut(core, tx, event, state!, context),
    after: async ({ state, events }) => {
      observeWorkflow(core, state, events);
      if (events.length > 0) await trackDeadline(core, tx, vpcEndpointId, state);
    },
  });
  return { vpcEndpointId, state: written.state, version: written.version, events: written.events };
}

async function carryOut(
  core: ConnectionBrokerCore,
  tx: EntityManager,
  event: EndpointConnectionEvent,
  state: EndpointConnectionState,
  context: WriteContext,
): Promise<EndpointConnectionCommand | null> {
  switch (event.type) {
    case 'connectionQuotaRequested':
      return askQuota(core, tx, state, event.at);
    case 'connectionQuotaReleased':
      await core.quota.release(quotaRequestOf(state), tx);
      return null;
    case 'connectionAttachRequested':
      await sendAttach(core, tx, state, context);
      return null;
    case 'connectionDetachRequested':
      await sendDetach(core, tx, state, context);
      return null;
    case 'connectionStepRetried':
      if (event.step === 'quota') return askQuota(core, tx, state, event.at);
      if (event.step === 'attach') await sendAttach(core, tx, state, context);
      if (event.step === 'detach') await sendDetach(core, tx, state, context);
      return null;
    case 'connectionStepAbandoned':
      // The reservation may have been granted and the attachment made without the answer reaching us.
      if (event.step === 'quota') await core.quota.release(quotaRequestOf(state), tx);
      if (event.step === 'attach') await sendDetach(core, tx, state, context);
      return null;
    default:
      return null;
  }
}

/** Asks the quota port (again: the request keeps its command id); an immediate answer is decided at once. */
async function askQuota(
  core: ConnectionBrokerCore,
  tx: EntityManager,
  state: EndpointConnectionState,
  at: string,
): Promise<EndpointConnectionCommand | null> {
  const answer = await core.quota.request(quotaRequestOf(state), tx);
  if (answer.decision === 'pending') return null;
  return {
    type: 'recordQuotaDecision',
    granted: answer.decision === 'granted',
    message: answer.decision === 'refused' ? answer.message : undefined,
    now: at,
  };
}

function sendAttach(core: ConnectionBrokerCore, tx: EntityManager, state: EndpointConnectionState, context: WriteContext): Promise<void> {
  const payload: OpenServiceConnectionPayload = {
    serviceId: state.serviceId,
    vpcEndpointId: state.vpcEndpointId,
    requesterPrincipal: state.requesterPrincipal,
    availabilityZoneIds: state.subnets.map((s) => s.availabilityZoneId),
  };
  return core.runtime.queue(serviceAttachmentCommands.open, payload, serviceContext(core, context), tx);
}

function sendDetach(core: ConnectionBrokerCore, tx: EntityManager, state: EndpointConnectionState, context: WriteContext): Promise<void> {
  const payload: CloseServiceConnectionPayload = { serviceId: state.serviceId, vpcEndpointId: state.vpcEndpointId };
  return core.runtime.queue(serviceAttachmentCommands.close, payload, serviceContext(core, context), tx);
}

/**
 * Sets the connection's deadline from the state after a write: the pending step is due again one
 * deadline from now (any progress restarts the clock); a connection waiting on nobody has none.
 */
export async function trackDeadline(
  core: ConnectionBrokerCore,
  tx: EntityManager,
  vpcEndpointId: string,
  state: EndpointConnectionState | null,
): Promise<WorkflowStep | null> {
  const step = pendingStepOf(state);
  if (step === null) {
    await tx.query(`DELETE FROM cb_workflow_deadlines WHERE vpc_endpoint_id = $1`, [vpcEndpointId]);
    return null;
  }
  const dueAt = new Date(core.now().getTime() + core.deps.config.workflow.stepDeadlineMs).toISOString();
  await tx.query(
    `INSERT INTO cb_workflow_deadlines (vpc_endpoint_id, step, tries, due_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (vpc_endpoint_id) DO UPDATE SET step = EXCLUDED.step, tries = EXCLUDED.tries, due_at = EXCLUDED.due_at`,
    [vpcEndpointId, step, 1 + (state!.stepRetries ?? 0), dueAt],
  );
  return step;
}

/** The broker's commands to the service's owner go in its own name, in the write's correlation. */
function serviceContext(core: ConnectionBrokerCore, context: WriteContext): WriteContext {
  return { ...core.runtime.reaction(context.correlationId, context.causationId), occurredAt: core.now().toISOString() };
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

/** The workflow's end, measured from the request: available (auto-accepted), pendingAcceptance (the provider's turn) or failed. */
function observeWorkflow(core: ConnectionBrokerCore, state: EndpointConnectionState | null, events: EndpointConnectionEvent[]): void {
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
    if (outcome)
      core.runtime.options.metrics.ops.workflowDuration.observe(
        { outcome },
        Math.max(0, (Date.parse(e.at) - Date.parse(state.createdAt)) / 1000),
      );
  }
}

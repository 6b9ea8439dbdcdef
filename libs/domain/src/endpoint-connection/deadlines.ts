// Deadlines: the step a connection waits on, retried and at last abandoned.
import { EndpointConnectionCommand } from './commands';
import { base, finishDeletionIfSettled, releaseQuota, then, transition } from './emit';
import { EndpointConnectionEvent } from './events';
import { pendingStepOf } from './read';
import { EndpointConnectionState, WorkflowStep } from './state';

/** Who a step waits on, as the consumer reads it in the failure's message. */
const STEP_OWNERS: Record<WorkflowStep, string> = {
  evaluate: 'connection-broker (checking the request)',
  quota: 'quota-guard (reserving capacity)',
  attach: 'the endpoint service (attaching the connection)',
  detach: 'the endpoint service (detaching the connection)',
};

/**
 * The pending step's deadline passed. While fewer than `maxTries` sends were made, the step's command is
 * sent again (connectionStepRetried; the command keeps its id, so its owner acts once and answers again).
 * Then the step is abandoned: a pending request fails with InternalFailure and gives back what it holds
 * (the reservation, which may have been granted unseen, and the attachment, which may have been made
 * unseen: their release commands are sent), and a deleting endpoint goes on to deleted. A step that is no
 * longer pending (its answer came meanwhile) decides nothing. Its own checks (`evaluate`) are not retried
 * here: the reconciler runs them again (evaluateRequest), they need no other service.
 */
export function decideReconcile(
  command: Extract<EndpointConnectionCommand, { type: 'reconcileStep' }>,
  state: EndpointConnectionState | null,
): EndpointConnectionEvent[] {
  if (!state || command.step === 'evaluate' || pendingStepOf(state) !== command.step) return [];
  const { step, now } = command;
  const sent = 1 + (state.stepRetries ?? 0);
  if (sent < command.maxTries) return [{ type: 'connectionStepRetried', ...base(state, now), step, attempt: sent + 1 }];
  const abandoned: EndpointConnectionEvent = { type: 'connectionStepAbandoned', ...base(state, now), step, tries: sent };
  const events: EndpointConnectionEvent[] = [abandoned];
  let after = then(state, events);
  if (after.vpcEndpointState === 'pending') {
    const failed: EndpointConnectionEvent = {
      type: 'connectionFailed',
      ...transition(after, 'failed', now),
      stateReason: 'InternalFailure',
      message: `the request could not be completed: ${STEP_OWNERS[step]} did not answer after ${sent} tries; it holds no capacity`,
    };
    after = then(after, [failed]);
    const released = releaseQuota(after, now);
    events.push(failed, ...released);
    after = then(after, released);
  }
  events.push(...finishDeletionIfSettled(after, now));
  return events;
}

import { quotaLedgerId } from '@privatelink/domain';
import { CONSUMER_ACCOUNT, demoKeys, eventually, servicePath, stepsOf } from './support';
import { ledgerOf } from '../../quota-guard/test/support';
import {
  Stack,
  connectionEventTypes,
  holdStatuses,
  quotaRequested,
  requestWithGuardStopped,
  startStack,
} from '../../quota-guard/test/stack';

const TRIES = 3;

/**
 * No workflow stays stuck (every step has a deadline; connection-broker's reconciler sends a step again with
 * the same command id and gives up after the tries): endpoint-api, connection-broker and quota-guard as
 * separate applications on the real Postgres and Kafka, with quota-guard stopped so its answers never come.
 */
describe('workflow deadlines', () => {
  let stack: Stack;
  const { consumer, provider, providerService, waitForEndpoint } = stepsOf(() => stack);
  const deadlineOf = async (vpcEndpointId: string) =>
    stack.brokerCore!.runtime.db.query(`SELECT step, tries FROM cb_workflow_deadlines WHERE vpc_endpoint_id = $1`, [vpcEndpointId]);

  beforeAll(async () => {
    stack = await startStack('cb-deadlines', {
      broker: true,
      env: {
        PRIVATELINK_WORKFLOW_STEP_DEADLINE_MS: '1500',
        PRIVATELINK_WORKFLOW_STEP_TRIES: String(TRIES),
        PRIVATELINK_RECONCILER_POLL_MS: '200',
      },
    });
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  /** After quota-guard is back, the connection's reservation (made from the re-sent commands) is given back in every scope. */
  const holdsNothing = async (vpcEndpointId: string, vpc: string) => {
    await eventually(async () => {
      const holds = await holdStatuses(stack, vpcEndpointId);
      expect(holds.length).toBeGreaterThan(0); // quota-guard did reserve (the commands were waiting in Kafka)...
      expect(holds.every((s) => s === 'released')).toBe(true); // ...and released it
    }, 60_000);
    const ledger = await ledgerOf(
      stack.guardCores[0],
      quotaLedgerId('vpc-endpoints-per-vpc', { consumerAccountId: CONSUMER_ACCOUNT, vpcId: vpc }),
    );
    expect(ledger?.usage ?? 0).toBe(0);
    expect(Object.keys(ledger?.holdings ?? {})).toEqual([]);
  };

  it('a quota answer that never comes: the request is sent again, then fails with InternalFailure after the tries and holds nothing', async () => {
    const service = await providerService({ acceptanceRequired: false });
    const { body, vpcEndpointId } = await requestWithGuardStopped(stack, service);
    const failed = await waitForEndpoint(vpcEndpointId, 'failed', demoKeys.consumer, 60_000);
    expect(failed).toMatchObject({
      stateReason: 'InternalFailure',
      lastError: { code: 'InternalFailure', message: expect.stringContaining('quota-guard') },
    });
    expect(await connectionEventTypes(stack, vpcEndpointId)).toEqual([
      'connectionRequested',
      'connectionQuotaRequested',
      ...Array(TRIES - 1).fill('connectionStepRetried'),
      'connectionStepAbandoned',
      'connectionFailed',
    ]);
    expect(await deadlineOf(vpcEndpointId)).toEqual([]); // waits on nobody any more
    await stack.startGuard();
    await holdsNothing(vpcEndpointId, body.vpcId as string);
    // Nothing was attached to the service: it can be deleted at once.
    await provider().del(servicePath(service.serviceId)).expect(200);
  }, 180_000);

  it('a pending endpoint stuck on its quota answer, deleted by the consumer, reaches deleted and holds nothing', async () => {
    const service = await providerService({ acceptanceRequired: true });
    const { body, vpcEndpointId } = await requestWithGuardStopped(stack, service);
    await quotaRequested(stack, vpcEndpointId);
    // The provider cannot reject a request that is still pending (only pendingAcceptance or available).
    const reject = await provider()
      .post(`${servicePath(service.serviceId)}/connections:reject`, { vpcEndpointIds: [vpcEndpointId] })
      .expect(200);
    expect(reject.body.unsuccessful).toEqual([
      expect.objectContaining({ resourceId: vpcEndpointId, error: expect.objectContaining({ code: 'IncorrectState' }) }),
    ]);
    const deleting = await consumer().del(`/v1/consumer/endpoints/${vpcEndpointId}`).expect(200);
    expect(deleting.body.vpcEndpoint.vpcEndpointState).toBe('deleting');
    await waitForEndpoint(vpcEndpointId, 'deleted', demoKeys.consumer, 60_000);
    const types = await connectionEventTypes(stack, vpcEndpointId);
    expect(types.slice(-2)).toEqual(['connectionStepAbandoned', 'connectionDeleted']);
    expect(types.filter((t) => t === 'connectionStepRetried')).toHaveLength(TRIES - 1);
    await stack.startGuard();
    await holdsNothing(vpcEndpointId, body.vpcId as string);
  }, 180_000);
});

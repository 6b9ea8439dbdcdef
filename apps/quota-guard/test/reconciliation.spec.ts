import { quotaLedgerId } from '@privatelink/domain';
import { connectionQuotaCommandId } from '@privatelink/contracts';
import { CONSUMER_ACCOUNT, stepsOf } from '../../connection-broker/test/support';
import { eventually, ledgerOf } from './support';
import { Stack, holdStatuses, startStack } from './stack';
import { ledgerStream } from '../src/handlers/ledger-writes';
import { CONNECTION_LIVE_EVENTS } from '../src/consumers/usage-reactions.consumer';

/**
 * quota-guard recounts its connection holds against the connection events it has seen, so capacity whose
 * release message was lost is given back (not leaked), and a live connection whose confirmation was lost
 * keeps its place (its reservation does not lapse): endpoint-api, connection-broker and quota-guard as
 * separate applications on the real Postgres and Kafka.
 */
describe('quota ledger reconciliation', () => {
  let stack: Stack;
  const { consumer, providerService, waitForEndpoint, endpointIn } = stepsOf(() => stack);
  const guard = () => stack.guardCores[0];
  const perVpc = (vpc: string) => quotaLedgerId('vpc-endpoints-per-vpc', { consumerAccountId: CONSUMER_ACCOUNT, vpcId: vpc });

  beforeAll(async () => {
    stack = await startStack('qg-reconcile', { broker: true, env: { PRIVATELINK_QUOTA_RECONCILE_POLL_MS: '300' } });
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('a lost release is corrected: a deleted endpoint whose release never reached quota-guard holds nothing after the recount', async () => {
    const service = await providerService({ acceptanceRequired: true });
    const { vpcEndpointId, endpoint } = await endpointIn(service, 'pendingAcceptance');
    const ledgerId = perVpc(endpoint.vpcId);
    await eventually(async () => expect(await holdStatuses(stack, vpcEndpointId)).toEqual(['confirmed', 'confirmed']), 30_000);
    expect((await ledgerOf(guard(), ledgerId))?.usage).toBe(1);

    // The release is lost on its way: quota-guard will take the command as one it already carried out
    // (as after a message that was dead-lettered or dropped), so only the recount can give the capacity back.
    await guard().runtime.db.query(`INSERT INTO msg_processed (consumer_group, message_id) VALUES ('quota-guard.commands', $1)`, [
      connectionQuotaCommandId.release(vpcEndpointId),
    ]);
    await consumer().del(`/v1/consumer/endpoints/${vpcEndpointId}`).expect(200);
    await waitForEndpoint(vpcEndpointId, 'deleted');

    await eventually(async () => expect(await holdStatuses(stack, vpcEndpointId)).toEqual(['released', 'released']), 30_000);
    const ledger = await ledgerOf(guard(), ledgerId);
    expect(ledger?.usage).toBe(0);
    expect(Object.keys(ledger?.holdings ?? {})).toEqual([]);
    // The correction is quota-guard's own ledger event, attributed to the recount.
    const events = await guard().runtime.store.readStream(ledgerStream(ledgerId));
    expect(events[events.length - 1]).toMatchObject({
      type: 'quotaReleased',
      payload: { holderIds: [vpcEndpointId] },
      metadata: { correlationId: `ledger-reconcile:${vpcEndpointId}` },
    });
    expect(guard().reconciler.corrected).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('the recount leaves a live connection’s capacity alone', async () => {
    const service = await providerService({ acceptanceRequired: false });
    const { vpcEndpointId, endpoint } = await endpointIn(service, 'available');
    await eventually(async () => expect(await holdStatuses(stack, vpcEndpointId)).toEqual(['confirmed', 'confirmed']), 30_000);
    const before = guard().reconciler.corrected;
    await guard().reconciler.reconcile();
    expect(guard().reconciler.corrected).toBe(before);
    expect((await ledgerOf(guard(), perVpc(endpoint.vpcId)))?.usage).toBe(1);
  }, 120_000);

  it('a lost confirmation is corrected: a live endpoint whose confirmation never reached the ledgers is confirmed by the recount', async () => {
    const service = await providerService({ acceptanceRequired: false });
    // The recount waits while the confirmation is lost, so the lost state can be seen before it is corrected.
    await guard().reconciler.stop();
    // The confirmation is lost on its way: quota-guard's usage consumer sees the live events (it still records
    // the connection's state, what the recount compares against) but takes no confirmation from them, as when
    // that message was dropped.
    const live = [...CONNECTION_LIVE_EVENTS];
    live.forEach((type) => CONNECTION_LIVE_EVENTS.delete(type));
    let vpcEndpointId = '';
    let ledgerId = '';
    try {
      const created = await endpointIn(service, 'available');
      vpcEndpointId = created.vpcEndpointId;
      ledgerId = perVpc(created.endpoint.vpcId);
      const known = async () =>
        (await guard().runtime.db.query(`SELECT state FROM qg_connections WHERE vpc_endpoint_id = $1`, [vpcEndpointId]))[0]?.state;
      await eventually(async () => expect(await known()).toBe('available'), 30_000);
      // Only reserved: left so, the reservation would lapse after its timeout and the VPC could pass its limit.
      expect(await holdStatuses(stack, vpcEndpointId)).toEqual(['reserved', 'reserved']);
    } finally {
      live.forEach((type) => CONNECTION_LIVE_EVENTS.add(type));
    }
    const before = guard().reconciler.corrected;
    guard().reconciler.start();
    await eventually(async () => expect(await holdStatuses(stack, vpcEndpointId)).toEqual(['confirmed', 'confirmed']), 30_000);
    expect(guard().reconciler.corrected).toBeGreaterThan(before);
    const ledger = await ledgerOf(guard(), ledgerId);
    expect(ledger?.usage).toBe(1);
    // The correction is quota-guard's own ledger event, attributed to the recount.
    const events = await guard().runtime.store.readStream(ledgerStream(ledgerId));
    expect(events[events.length - 1]).toMatchObject({
      type: 'quotaReservationConfirmed',
      payload: { holderId: vpcEndpointId },
      metadata: { correlationId: `ledger-reconcile:${vpcEndpointId}` },
    });
    // A second recount finds nothing more to correct.
    const after = guard().reconciler.corrected;
    await guard().reconciler.reconcile();
    expect(guard().reconciler.corrected).toBe(after);
  }, 120_000);
});

import request from 'supertest';
import { EndpointServiceEvent } from '@privatelink/domain';
import { CONSUMER_ROOT, assertLegalSequence, eventually, interfaceRequest, liveOnService, servicePath, useWorld } from './support';

/**
 * The rules that must hold under concurrency (issue item 7), checked on the event streams afterwards:
 * every connection stream is a legal sequence of the state machine; the service stream (the linearization
 * point) and the connections agree on which connections are live; nothing is ever attached to a service
 * after its deletion started, or for a principal after its permission was removed.
 */
describe('connection races', () => {
  const world = useWorld('cb-races');
  const { provider, consumer, providerService, waitForEndpoint, endpointIn } = world;

  const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const shuffle = <T>(items: T[]): T[] =>
    items
      .map((item) => ({ item, key: Math.random() }))
      .sort((a, b) => a.key - b.key)
      .map(({ item }) => item);
  const typesOf = async (id: string) => (await world.connectionEvents(id)).map((e) => e.type);
  const failedIds = (res: request.Response): string[] => (res.body.unsuccessful as Array<{ resourceId: string }>).map((u) => u.resourceId);

  it('many concurrent accept, reject and delete calls on the same endpoints end in one legal outcome each, events in order', async () => {
    const service = await providerService();
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await endpointIn(service, 'pendingAcceptance')).vpcEndpointId);
    const connections = `${servicePath(service.serviceId)}/connections`;

    type Call = { kind: 'accept' | 'reject' | 'delete'; ids: string[]; run: () => Promise<request.Response> };
    const calls: Call[] = [];
    ids.forEach((id, n) => {
      for (let i = 0; i < 3; i++) {
        calls.push({ kind: 'accept', ids: [id], run: () => provider().post(`${connections}:accept`, { vpcEndpointIds: [id] }) });
        calls.push({ kind: 'reject', ids: [id], run: () => provider().post(`${connections}:reject`, { vpcEndpointIds: [id] }) });
      }
      // The consumer deletes half of them (so the others end available or rejected).
      if (n % 2 === 0)
        for (let i = 0; i < 2; i++) calls.push({ kind: 'delete', ids: [id], run: () => consumer().del(`/v1/consumer/endpoints/${id}`) });
    });
    // Batches naming the same endpoints in opposite orders (each decided per endpoint, in id order: no cycle to wait on).
    calls.push({ kind: 'accept', ids, run: () => provider().post(`${connections}:accept`, { vpcEndpointIds: ids }) });
    calls.push({
      kind: 'reject',
      ids: [...ids].reverse(),
      run: () => provider().post(`${connections}:reject`, { vpcEndpointIds: [...ids].reverse() }),
    });
    const evens = ids.filter((_, n) => n % 2 === 0);
    calls.push({
      kind: 'delete',
      ids: evens,
      run: () => consumer().post('/v1/consumer/endpoints:delete', { vpcEndpointIds: [...evens].reverse() }),
    });

    const answers = await Promise.all(shuffle(calls).map(async (call) => ({ call, res: await call.run() })));
    const successes = new Map(ids.map((id) => [id, { accept: 0, reject: 0, delete: 0 }]));
    for (const { call, res } of answers) {
      if (call.kind === 'delete' && call.ids.length === 1) {
        // The single DELETE: 200 deleting (or a no-op while deleting), or 404 once deleted.
        expect([200, 404]).toContain(res.status);
        if (res.status === 200) successes.get(call.ids[0])!.delete += 1;
        continue;
      }
      expect(res.status).toBe(200); // each call got its answer: no 409, no 500, no time-out
      const failed = new Set(failedIds(res));
      for (const u of res.body.unsuccessful) expect(['IncorrectState', 'InvalidVpcEndpointId.NotFound']).toContain(u.error.code);
      for (const id of call.ids) if (!failed.has(id)) successes.get(id)![call.kind] += 1;
    }

    const live = new Set<string>();
    for (const id of ids) {
      const state = await world.settledState(id, ['available', 'rejected', 'deleted']);
      const events = await world.connectionEvents(id);
      expect(assertLegalSequence(events)).toBe(state.vpcEndpointState);
      const count = (type: string) => events.filter((e) => e.type === type).length;
      // One legal outcome: at most one acceptance, one rejection, one deletion, each matching the answers given.
      expect(count('connectionAccepted')).toBe(successes.get(id)!.accept);
      expect(count('connectionRejected')).toBe(successes.get(id)!.reject);
      expect(count('connectionDeleting')).toBe(successes.get(id)!.delete > 0 ? 1 : 0);
      expect(count('connectionAccepted') + count('connectionRejected')).toBeLessThanOrEqual(2);
      if (ids.indexOf(id) % 2 === 1) expect(successes.get(id)!.delete).toBe(0);
      if (state.vpcEndpointState === 'available') live.add(id);
      // endpoint-api's read model applied the same events in order and ends where the stream ends.
      await waitForEndpoint(id, state.vpcEndpointState);
    }
    // The service stream counts exactly the connections that are live.
    await eventually(async () => expect(await world.liveOn(service.serviceId)).toEqual(live));
  });

  it('a permission removed while requests are in flight lets each through or fails it, never half', async () => {
    const service = await providerService({ acceptanceRequired: false });
    // One request is known to be through before the removal; more keep coming while the permission goes.
    const first = await endpointIn(service, 'available');
    const create = () => consumer().post('/v1/consumer/endpoints', interfaceRequest(service)).set('x-consistency-token', service.token);
    const burst = Promise.all(Array.from({ length: 16 }, (_, i) => delay(i * 25).then(create)));
    const removed = await delay(150).then(() =>
      provider().del(`${servicePath(service.serviceId)}/permissions`, { removeAllowedPrincipals: [CONSUMER_ROOT] }),
    );
    expect(removed.status).toBe(200);
    const answers = await burst;
    // Refused at the edge (it already saw the removal): nothing written. Accepted at the edge: the workflow decides.
    for (const res of answers) expect([201, 400]).toContain(res.status);
    const accepted = [
      first.vpcEndpointId,
      ...answers.filter((r) => r.status === 201).map((r) => r.body.vpcEndpoint.vpcEndpointId as string),
    ];

    const outcomes: Record<string, string[]> = { available: [], failed: [] };
    for (const id of accepted) {
      const state = await world.settledState(id, ['available', 'failed']);
      await world.legalSequence(id);
      outcomes[state.vpcEndpointState].push(id);
      if (state.vpcEndpointState === 'failed') {
        expect(state.stateReason).toBe('PrincipalNotAllowed');
        expect(await typesOf(id)).not.toContain('connectionAttached');
      }
    }
    expect(outcomes.available).toContain(first.vpcEndpointId);
    const events = await world.serviceEvents(service.serviceId);
    // Let through = attached on the service stream, and only before the removal; failed = never attached.
    expect(liveOnService(events)).toEqual(new Set(outcomes.available));
    const removedAt = events.findIndex((e) => e.type === 'endpointServicePrincipalsRemoved');
    expect(removedAt).toBeGreaterThan(0);
    events.forEach((e, i) => {
      if (e.type === 'endpointServiceConnectionOpened') expect(i).toBeLessThan(removedAt);
    });
  });

  it('a service deletion racing new requests never leaves a live endpoint on a deleted service', async () => {
    // Three rounds: the deletion first; an attachment known to be first; and requests spread around the deletion.
    for (const round of ['deletion first', 'attachment first', 'interleaved'] as const) {
      const service = await providerService({ acceptanceRequired: false });
      const create = () => consumer().post('/v1/consumer/endpoints', interfaceRequest(service)).set('x-consistency-token', service.token);
      const known = round === 'attachment first' ? [(await endpointIn(service, 'available')).vpcEndpointId] : [];
      const burst = Promise.all(Array.from({ length: 10 }, (_, i) => delay(round === 'interleaved' ? i * 25 : 0).then(create)));
      const deleted = await delay(round === 'interleaved' ? 120 : 0).then(() => provider().del(servicePath(service.serviceId)));
      const answers = await burst;
      expect([200, 409]).toContain(deleted.status);
      if (round === 'attachment first') expect(deleted.status).toBe(409);
      for (const res of answers) expect([201, 400]).toContain(res.status);
      const accepted = [...known, ...answers.filter((r) => r.status === 201).map((r) => r.body.vpcEndpoint.vpcEndpointId as string)];

      const states = new Map<string, string>();
      for (const id of accepted) {
        const state = await world.settledState(id, ['available', 'failed']);
        await world.legalSequence(id);
        states.set(id, state.vpcEndpointState);
        if (state.vpcEndpointState === 'failed') expect(state.stateReason).toBe('ServiceUnavailable');
      }
      const events = await world.serviceEvents(service.serviceId);
      const deletingAt = events.findIndex((e) => e.type === 'endpointServiceDeleting');
      const live = new Set([...states].filter(([, s]) => s === 'available').map(([id]) => id));
      if (deleted.status === 200) {
        // The deletion was decided first: nothing was ever attached, every request failed.
        expect(deletingAt).toBeGreaterThan(0);
        expect(events.some((e) => e.type === 'endpointServiceConnectionOpened')).toBe(false);
        expect(live.size).toBe(0);
      } else {
        // An attachment was decided first: the service stays, with exactly its live connections.
        expect(deletingAt).toBe(-1);
        expect(deleted.body.code).toBe('IncorrectState');
        expect(liveOnService(events)).toEqual(live);
      }
      // Either way: no connection opened after deletion started.
      if (deletingAt >= 0)
        events
          .slice(deletingAt)
          .forEach((e) => expect((e.payload as unknown as EndpointServiceEvent).type).not.toBe('endpointServiceConnectionOpened'));
    }
  });
});

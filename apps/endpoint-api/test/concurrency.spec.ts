import request from 'supertest';
import {
  EndpointServiceEvent,
  EndpointServiceState,
  LoadBalancerState,
  endpointServiceDecider,
  loadBalancerDecider,
} from '@privatelink/domain';
import { demoKeys, eventually, servicePath, useApi } from './support';
import { endpointServiceStream, loadBalancerStream } from '../src/endpoint-services/service-writes';

/**
 * Two admins of one provider account change one service at the same time. Optimistic concurrency on the
 * service's stream (and on the load balancers' streams, written in the same transaction) means a request
 * either lands, after retries on the new state, or answers 409 ConcurrentModification, and never loses
 * another request's change.
 */
describe('concurrent modifications of one service (real Postgres and Kafka)', () => {
  const api = useApi('concurrency');

  const serviceState = async (serviceId: string) =>
    api.core.runtime.store.aggregate(endpointServiceStream(serviceId), endpointServiceDecider.evolve, endpointServiceDecider.initialState);
  const lbState = async (arn: string) =>
    (await api.core.runtime.store.aggregate(loadBalancerStream(arn), loadBalancerDecider.evolve, loadBalancerDecider.initialState))
      .state as LoadBalancerState;
  const outcome = (res: request.Response) => {
    expect([200, 409]).toContain(res.status);
    if (res.status === 409) expect(res.body.code).toBe('ConcurrentModification');
    return res.status === 200;
  };

  it('two admins send 10 load balancer and permission changes at once: each lands or answers 409, and the final state holds every one that landed', async () => {
    const base = await api.registerLb();
    const s = await api.createAvailableService({ networkLoadBalancerArns: [base] });
    const lbs = await Promise.all(Array.from({ length: 5 }, () => api.registerLb()));
    const principals = Array.from({ length: 5 }, (_, i) => `arn:aws:iam::55556666${String(7000 + i)}:root`);
    const admins = [api.as(demoKeys.provider), api.as(demoKeys.providerAdmin)];

    const requests = [
      ...lbs.map((arn, i) => ({
        kind: 'lb' as const,
        value: arn,
        send: () => admins[i % 2].patch(servicePath(s.serviceId), { addNetworkLoadBalancerArns: [arn] }),
      })),
      ...principals.map((p, i) => ({
        kind: 'principal' as const,
        value: p,
        send: () => admins[(i + 1) % 2].post(`${servicePath(s.serviceId)}/permissions`, { addAllowedPrincipals: [p] }),
      })),
    ];
    const answers = await Promise.all(requests.map((r) => r.send()));
    const landed = requests.filter((r, i) => outcome(answers[i]));
    const refused = requests.filter((r, i) => answers[i].status === 409);
    expect(landed.length + refused.length).toBe(10);
    expect(landed.length).toBeGreaterThan(0);

    const { state } = await serviceState(s.serviceId);
    const service = state as EndpointServiceState;
    for (const r of landed) {
      if (r.kind === 'lb') expect(service.networkLoadBalancerArns).toContain(r.value);
      else expect(service.allowedPrincipals.map((p) => p.principal)).toContain(r.value);
    }
    for (const r of refused) {
      if (r.kind === 'lb') expect(service.networkLoadBalancerArns).not.toContain(r.value);
      else expect(service.allowedPrincipals.map((p) => p.principal)).not.toContain(r.value);
    }
    expect(service.networkLoadBalancerArns).toHaveLength(1 + landed.filter((r) => r.kind === 'lb').length);
    expect(service.allowedPrincipals).toHaveLength(landed.filter((r) => r.kind === 'principal').length);

    // The registry agrees: a load balancer is used by the service exactly when its addition landed.
    for (const arn of lbs) {
      const used = (await lbState(arn)).usedByServiceIds;
      expect(used).toEqual(service.networkLoadBalancerArns.includes(arn) ? [s.serviceId] : []);
    }
    // Nothing doubled: one event per landed change.
    const events = (await api.core.runtime.store.readStream(endpointServiceStream(s.serviceId))).map(
      (e) => e.payload as unknown as EndpointServiceEvent,
    );
    expect(events.filter((e) => e.type === 'endpointServiceLoadBalancersChanged')).toHaveLength(
      landed.filter((r) => r.kind === 'lb').length,
    );
    expect(events.filter((e) => e.type === 'endpointServicePrincipalsAllowed')).toHaveLength(
      landed.filter((r) => r.kind === 'principal').length,
    );

    // And the read model, fed through Kafka, converges on the same state.
    await eventually(async () => {
      const read = await admins[0].get(servicePath(s.serviceId)).expect(200);
      expect(read.body.serviceConfiguration.networkLoadBalancerArns.sort()).toEqual([...service.networkLoadBalancerArns].sort());
      const perms = await admins[1].get(`${servicePath(s.serviceId)}/permissions`).expect(200);
      expect(perms.body.allowedPrincipals.map((p: { principal: string }) => p.principal).sort()).toEqual(
        service.allowedPrincipals.map((p) => p.principal).sort(),
      );
    });
  });

  it('ten concurrent tag and setting changes from two admins: no landed change is lost', async () => {
    const s = await api.createAvailableService({ networkLoadBalancerArns: [await api.registerLb({ ipAddressType: 'dualstack' })] });
    const admins = [api.as(demoKeys.provider), api.as(demoKeys.providerAdmin)];
    const sends = [
      ...Array.from(
        { length: 8 },
        (_, i) => () => admins[i % 2].post(`${servicePath(s.serviceId)}/tags`, { tags: [{ key: `k${i}`, value: `v${i}` }] }),
      ),
      () => admins[0].patch(servicePath(s.serviceId), { privateDnsName: 'api.example.com' }),
      () => admins[1].patch(servicePath(s.serviceId), { addSupportedIpAddressTypes: ['ipv6'] }),
    ];
    const answers = await Promise.all(sends.map((send) => send()));
    const ok = answers.map(outcome);
    const service = (await serviceState(s.serviceId)).state as EndpointServiceState;
    for (let i = 0; i < 8; i++) {
      expect(service.tags.some((t) => t.key === `k${i}` && t.value === `v${i}`)).toBe(ok[i]);
    }
    expect(service.privateDnsName === 'api.example.com').toBe(ok[8]);
    expect(service.supportedIpAddressTypes.includes('ipv6')).toBe(ok[9]);
  });
});

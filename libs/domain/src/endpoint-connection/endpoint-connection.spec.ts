import { fold } from '../decider';
import { CONSUMER, CONSUMER_ROOT, EP, PROVIDER, SVC, connectionSpec, serviceState } from './spec-fixtures';
import {
  ConnectionServiceFacts,
  EndpointConnectionCommand,
  EndpointConnectionEvent,
  FULL_ACCESS_POLICY,
  MAX_POLICY_LENGTH,
  connectionServiceFactsOf,
  decideEndpointConnection,
  dnsEntriesFor,
  endpointConnectionDecider,
  requestCheckFailure,
  validateEndpointRequest,
  validatePolicyDocument,
} from '.';
import { EndpointServiceState, acceptsAutomatically, attachmentRefusal, endpointServiceDecider } from '../endpoint-service';
import { serviceId } from '../ids';
import { caught } from '../spec-support';

// ── fixtures ─────────────────────────────────────────────────────────────────────────────────────

const CONSUMER_ROLE = `arn:aws:iam::${CONSUMER}:role/portal`;
const OTHER_CONSUMER = '777788889999';
const NOW = '2026-11-27T10:00:00.000Z';
const LATER = '2026-11-27T11:00:00.000Z';
const SUFFIX = 'ks83awe7';
const ZONE_A = { zoneName: 'us-east-1a', zoneId: 'use1-az1' };
const ZONE_B = { zoneName: 'us-east-1b', zoneId: 'use1-az2' };
const ZONE_C = { zoneName: 'us-east-1c', zoneId: 'use1-az3' };
const BASE = `${SVC}.us-east-1.vpce.amazonaws.com`;

function service(
  options: { type?: 'net' | 'gwy'; privateDnsName?: string; acceptanceRequired?: boolean; principals?: string[]; available?: boolean } = {},
): EndpointServiceState {
  return serviceState({
    serviceId: SVC,
    provider: PROVIDER,
    now: NOW,
    zones: [ZONE_A, ZONE_B],
    ...options,
    principals: options.principals ?? [CONSUMER_ROOT],
  });
}

const facts = (s = service()): ConnectionServiceFacts => connectionServiceFactsOf(s);

const interfaceInput = (overrides: Record<string, unknown> = {}) => ({
  vpcEndpointType: 'Interface',
  vpcId: 'vpc-ec43eb89',
  subnets: [
    { subnetId: 'subnet-abababab', availabilityZoneId: 'use1-az1' },
    { subnetId: 'subnet-cdcdcdcd', availabilityZoneId: 'use1-az2' },
  ],
  ...overrides,
});

const request = (
  overrides: Partial<Extract<EndpointConnectionCommand, { type: 'requestConnection' }>> = {},
): EndpointConnectionCommand => ({
  type: 'requestConnection',
  vpcEndpointId: EP,
  dnsSuffix: SUFFIX,
  requesterPrincipal: CONSUMER_ROOT,
  input: interfaceInput(),
  service: facts(),
  now: NOW,
  ...overrides,
});

const dns = { privateDnsName: null, verified: false };

/** Runs commands from nothing, each on the state the previous ones left; returns state and all events. */
const { run } = connectionSpec;

const evaluate = (s: EndpointServiceState | null = service(), privateDnsVerified = false): EndpointConnectionCommand => ({
  type: 'evaluateRequest',
  service: s,
  privateDnsVerified,
  now: NOW,
});
const grant = (granted = true): EndpointConnectionCommand => ({ type: 'recordQuotaDecision', granted, now: NOW });
const attached = (acceptanceRequired = true): EndpointConnectionCommand => ({
  type: 'recordAttachment',
  outcome: { attached: true, acceptanceRequired },
  dns,
  now: LATER,
});
const refused = (reason: 'PrincipalNotAllowed' | 'ServiceUnavailable' = 'ServiceUnavailable'): EndpointConnectionCommand => ({
  type: 'recordAttachment',
  outcome: { attached: false, reason, message: 'refused by the service' },
  dns,
  now: LATER,
});
const accept = (overrides: Partial<Extract<EndpointConnectionCommand, { type: 'acceptConnection' }>> = {}): EndpointConnectionCommand => ({
  type: 'acceptConnection',
  serviceId: SVC,
  providerAccountId: PROVIDER,
  dns,
  now: LATER,
  ...overrides,
});
const reject = (overrides: Partial<Extract<EndpointConnectionCommand, { type: 'rejectConnection' }>> = {}): EndpointConnectionCommand => ({
  type: 'rejectConnection',
  serviceId: SVC,
  providerAccountId: PROVIDER,
  now: LATER,
  ...overrides,
});
const remove = (owner = CONSUMER): EndpointConnectionCommand => ({ type: 'deleteEndpoint', ownerAccountId: owner, now: LATER });
const detached: EndpointConnectionCommand = { type: 'recordDetachment', now: LATER };
const modify = (
  changes: Record<string, unknown>,
  overrides: Partial<Extract<EndpointConnectionCommand, { type: 'modifyEndpoint' }>> = {},
): EndpointConnectionCommand => ({
  type: 'modifyEndpoint',
  ownerAccountId: CONSUMER,
  changes,
  service: facts(),
  dns,
  now: LATER,
  ...overrides,
});

const PENDING_ACCEPTANCE = [request(), evaluate(), grant(), attached(true)];
const AVAILABLE = [request(), evaluate(), grant(), attached(false)];

const types = (events: EndpointConnectionEvent[]) => events.map((e) => e.type);
const stateOf = (...commands: EndpointConnectionCommand[]) => run(...commands).state!;

// ── request ──────────────────────────────────────────────────────────────────────────────────────

describe('EndpointConnection', () => {
  describe('a consumer requests a connection', () => {
    it('a request is recorded as pending, with the Connect notification event and who owns what', () => {
      const { state, events } = run(request());
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'connectionRequested',
        vpcEndpointId: EP,
        serviceId: SVC,
        vpcEndpointOwner: CONSUMER,
        serviceOwner: PROVIDER,
        stateBefore: null,
        stateAfter: 'pending',
        connectionEvent: 'Connect',
      });
      expect(state).toMatchObject({
        vpcEndpointState: 'pending',
        quota: 'none',
        attachment: 'none',
        dnsEntries: [],
        requesterPrincipal: CONSUMER_ROOT,
      });
      expect(state!.subnets).toEqual([
        { subnetId: 'subnet-abababab', availabilityZoneId: 'use1-az1', availabilityZone: 'us-east-1a' },
        { subnetId: 'subnet-cdcdcdcd', availabilityZoneId: 'use1-az2', availabilityZone: 'us-east-1b' },
      ]);
    });

    it('an interface endpoint without security groups gets the VPC default group', () => {
      expect(stateOf(request()).groups).toEqual([{ groupName: 'default' }]);
      expect(stateOf(request({ input: interfaceInput({ securityGroupIds: ['sg-1a2b3c4d'] }) })).groups).toEqual([
        { groupId: 'sg-1a2b3c4d' },
      ]);
    });

    it('an interface endpoint without a policy gets the full-access policy', () => {
      expect(stateOf(request()).policyDocument).toBe(FULL_ACCESS_POLICY);
      expect(JSON.parse(FULL_ACCESS_POLICY)).toEqual({ Statement: [{ Action: '*', Effect: 'Allow', Principal: '*', Resource: '*' }] });
    });

    it('a role of the consumer account may request; the owner is its account', () => {
      expect(stateOf(request({ requesterPrincipal: CONSUMER_ROLE }))).toMatchObject({
        vpcEndpointOwner: CONSUMER,
        requesterPrincipal: CONSUMER_ROLE,
      });
    });

    it('the same endpoint cannot be requested twice', () => {
      const { state } = run(request());
      expect(caught(() => decideEndpointConnection(request(), state)).code).toBe('IncorrectState');
    });

    it('the id and the DNS suffix are validated', () => {
      expect(caught(() => run(request({ vpcEndpointId: 'vpce-xyz' }))).field).toBe('vpcEndpointId');
      expect(caught(() => run(request({ dnsSuffix: 'ABC' }))).field).toBe('dnsSuffix');
    });

    it('a requestMessage is kept for the provider, at most 1,024 characters', () => {
      expect(stateOf(request({ input: interfaceInput({ requestMessage: 'team payments, ticket 42' }) })).requestMessage).toBe(
        'team payments, ticket 42',
      );
      expect(caught(() => run(request({ input: interfaceInput({ requestMessage: 'x'.repeat(1025) }) }))).field).toBe('requestMessage');
      expect(stateOf(request({ input: interfaceInput({ requestMessage: 'x'.repeat(1024) }) })).requestMessage).toHaveLength(1024);
    });
  });

  describe('request rules (validateEndpointRequest)', () => {
    const error = (input: Record<string, unknown>, s = facts()) => caught(() => validateEndpointRequest(input, s));

    it('the endpoint type must match the service type', () => {
      const e = error(interfaceInput({ vpcEndpointType: 'GatewayLoadBalancer' }));
      expect(e).toMatchObject({ code: 'InvalidParameterValue', field: 'vpcEndpointType' });
      expect(error(interfaceInput({ vpcEndpointType: 'Gateway' })).field).toBe('vpcEndpointType');
      expect(error(interfaceInput({ vpcEndpointType: undefined })).code).toBe('MissingParameter');
    });

    it('the VPC id must be well formed', () => {
      expect(error(interfaceInput({ vpcId: 'vpc-XYZ' })).field).toBe('vpcId');
      expect(error(interfaceInput({ vpcId: undefined })).code).toBe('MissingParameter');
    });

    it('an interface endpoint takes only one subnet per Availability Zone', () => {
      const e = error(
        interfaceInput({
          subnets: [
            { subnetId: 'subnet-abababab', availabilityZoneId: 'use1-az1' },
            { subnetId: 'subnet-cdcdcdcd', availabilityZoneId: 'use1-az1' },
          ],
        }),
      );
      expect(e).toMatchObject({ code: 'InvalidParameterValue', field: 'subnets[1].availabilityZoneId' });
    });

    it('only zones the service offers', () => {
      const e = error(interfaceInput({ subnets: [{ subnetId: 'subnet-abababab', availabilityZoneId: 'use1-az3' }] }));
      expect(e.field).toBe('subnets[0].availabilityZoneId');
      expect(e.message).toMatch(/not available in use1-az3/);
    });

    it('subnets are required, well formed and not listed twice', () => {
      expect(error(interfaceInput({ subnets: [] })).code).toBe('MissingParameter');
      expect(error(interfaceInput({ subnets: [{ subnetId: 'sub-1', availabilityZoneId: 'use1-az1' }] })).field).toBe('subnets[0].subnetId');
      expect(
        error(
          interfaceInput({
            subnets: [
              { subnetId: 'subnet-abababab', availabilityZoneId: 'use1-az1' },
              { subnetId: 'subnet-abababab', availabilityZoneId: 'use1-az2' },
            ],
          }),
        ).field,
      ).toBe('subnets[1].subnetId');
    });

    it('a Gateway Load Balancer endpoint takes exactly one subnet', () => {
      const gwlb = facts(service({ type: 'gwy' }));
      const two = { vpcEndpointType: 'GatewayLoadBalancer', vpcId: 'vpc-ec43eb89', subnets: interfaceInput().subnets };
      expect(error(two, gwlb)).toMatchObject({ code: 'InvalidParameterValue', field: 'subnets' });
      const one = { ...two, subnets: [two.subnets[0]] };
      expect(validateEndpointRequest(one, gwlb)).toMatchObject({
        vpcEndpointType: 'GatewayLoadBalancer',
        groups: [],
        policyDocument: null,
        privateDnsEnabled: false,
      });
    });

    it('a Gateway Load Balancer endpoint takes no security groups, no policy and no private DNS', () => {
      const gwlb = facts(service({ type: 'gwy' }));
      const one = { vpcEndpointType: 'GatewayLoadBalancer', vpcId: 'vpc-ec43eb89', subnets: [interfaceInput().subnets[0]] };
      expect(error({ ...one, securityGroupIds: ['sg-1a2b3c4d'] }, gwlb).field).toBe('securityGroupIds');
      expect(error({ ...one, policyDocument: FULL_ACCESS_POLICY }, gwlb).field).toBe('policyDocument');
      expect(error({ ...one, privateDnsEnabled: true }, gwlb).field).toBe('privateDnsEnabled');
    });

    it('security groups are well formed, not repeated, at most five', () => {
      expect(error(interfaceInput({ securityGroupIds: ['group-1'] })).field).toBe('securityGroupIds[0]');
      expect(error(interfaceInput({ securityGroupIds: ['sg-1a2b3c4d', 'sg-1a2b3c4d'] })).field).toBe('securityGroupIds[1]');
      const six = ['a', 'b', 'c', 'd', 'e', 'f'].map((c) => `sg-${c.repeat(8)}`);
      expect(error(interfaceInput({ securityGroupIds: six })).field).toBe('securityGroupIds');
    });

    it('the policy must contain a Principal element', () => {
      const e = error(interfaceInput({ policyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }));
      expect(e).toMatchObject({ field: 'policyDocument' });
      expect(e.message).toMatch(/Principal/);
    });

    it('the policy must be JSON', () => {
      expect(error(interfaceInput({ policyDocument: '{"Statement": [' })).message).toMatch(/not valid JSON/);
      expect(error(interfaceInput({ policyDocument: '[1]' })).message).toMatch(/JSON object/);
    });

    it('the policy is at most 20,480 characters including white space', () => {
      const policy = (length: number) => {
        const body = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] });
        return body.slice(0, -1) + ' '.repeat(length - body.length) + '}';
      };
      expect(policy(MAX_POLICY_LENGTH)).toHaveLength(MAX_POLICY_LENGTH);
      expect(validatePolicyDocument(policy(MAX_POLICY_LENGTH))).toHaveLength(MAX_POLICY_LENGTH);
      const e = caught(() => validatePolicyDocument(policy(MAX_POLICY_LENGTH + 1)));
      expect(e.message).toMatch(/20481 characters long \(white space included\)/);
    });

    it('private DNS can be enabled only when the service has a private DNS name', () => {
      expect(error(interfaceInput({ privateDnsEnabled: true })).field).toBe('privateDnsEnabled');
      const named = facts(service({ privateDnsName: 'api.example.com' }));
      expect(validateEndpointRequest(interfaceInput({ privateDnsEnabled: true }), named).privateDnsEnabled).toBe(true);
    });

    it('the IP address type must be one the service supports', () => {
      expect(validateEndpointRequest(interfaceInput(), facts()).ipAddressType).toBe('ipv4');
      expect(error(interfaceInput({ ipAddressType: 'dualstack' })).message).toMatch(/does not support ipv6/);
      expect(error(interfaceInput({ ipAddressType: 'ipv5' })).field).toBe('ipAddressType');
    });

    it('tags follow the tag rules', () => {
      expect(error(interfaceInput({ tags: [{ key: 'aws:x', value: '' }] })).field).toBe('tags[0].key');
    });

    it('a client token is 1 to 64 printable characters', () => {
      expect(error(interfaceInput({ clientToken: 'x'.repeat(65) })).field).toBe('clientToken');
    });
  });

  // ── the workflow's checks ───────────────────────────────────────────────────────────────────────

  describe('the acceptance workflow', () => {
    it('checks passed: capacity is requested for the consumer account on the service', () => {
      const { events } = run(request(), evaluate());
      expect(types(events)).toEqual(['connectionRequested', 'connectionQuotaRequested']);
      expect(events[1]).toMatchObject({ scope: { consumerAccountId: CONSUMER, serviceId: SVC, vpcId: 'vpc-ec43eb89' } });
    });

    it('quota granted: the connection asks the service to attach it', () => {
      const { state, events } = run(request(), evaluate(), grant());
      expect(types(events).slice(2)).toEqual(['connectionQuotaGranted', 'connectionAttachRequested']);
      expect(events[3]).toMatchObject({ requesterPrincipal: CONSUMER_ROOT, availabilityZoneIds: ['use1-az1', 'use1-az2'] });
      expect(state).toMatchObject({ vpcEndpointState: 'pending', quota: 'granted', attachment: 'requested' });
    });

    it('attached where acceptance is required: pendingAcceptance, with the request message for the provider', () => {
      const { state, events } = run(request({ input: interfaceInput({ requestMessage: 'hello' }) }), evaluate(), grant(), attached(true));
      expect(types(events).slice(-2)).toEqual(['connectionAttached', 'connectionPendingAcceptance']);
      expect(events[events.length - 1]).toMatchObject({ stateBefore: 'pending', stateAfter: 'pendingAcceptance', requestMessage: 'hello' });
      expect(state).toMatchObject({ vpcEndpointState: 'pendingAcceptance', pendingAcceptanceSince: LATER, dnsEntries: [] });
    });

    it('attached where acceptance is not required: available at once (Accept), with its DNS names', () => {
      const { state, events } = run(...AVAILABLE);
      expect(events[events.length - 1]).toMatchObject({
        type: 'connectionAutoAccepted',
        stateBefore: 'pending',
        stateAfter: 'available',
        connectionEvent: 'Accept',
      });
      expect(state!.vpcEndpointState).toBe('available');
      expect(state!.dnsEntries.map((d) => d.dnsName)).toEqual([
        `${EP}-${SUFFIX}.${BASE}`,
        `${EP}-${SUFFIX}-us-east-1a.${BASE}`,
        `${EP}-${SUFFIX}-us-east-1b.${BASE}`,
      ]);
    });

    it.each([
      ['PrincipalNotAllowed', () => evaluate(service({ principals: [`arn:aws:iam::${OTHER_CONSUMER}:root`] }))],
      ['ServiceUnavailable', () => evaluate(service({ available: false }))],
      ['ServiceUnavailable', () => evaluate(null)],
      ['PrivateDnsNotVerified', () => evaluate(service({ privateDnsName: 'api.example.com' }), false)],
    ] as const)('a denied request fails with %s', (reason, command) => {
      const { state, events } = run(request(), command());
      expect(events[1]).toMatchObject({ type: 'connectionFailed', stateBefore: 'pending', stateAfter: 'failed', stateReason: reason });
      expect(state).toMatchObject({ vpcEndpointState: 'failed', stateReason: reason, quota: 'none', attachment: 'none' });
    });

    it('no common Availability Zone fails the request', () => {
      const elsewhere = fold(endpointServiceDecider.evolve, service(), [
        {
          type: 'endpointServiceLoadBalancersChanged',
          serviceId: SVC,
          addedLoadBalancers: [],
          removedLoadBalancerArns: [],
          networkLoadBalancerArns: [],
          gatewayLoadBalancerArns: [],
          availabilityZones: ['us-east-1c'],
          availabilityZoneIds: [ZONE_C.zoneId],
        },
      ]);
      expect(run(request(), evaluate(elsewhere)).state).toMatchObject({
        vpcEndpointState: 'failed',
        stateReason: 'NoCommonAvailabilityZone',
      });
    });

    it('a verified private DNS name lets the request through', () => {
      expect(types(run(request(), evaluate(service({ privateDnsName: 'api.example.com' }), true)).events)).toContain(
        'connectionQuotaRequested',
      );
    });

    it('quota refused: failed with QuotaExceeded, nothing to give back', () => {
      const { state, events } = run(request(), evaluate(), grant(false));
      expect(types(events).slice(2)).toEqual(['connectionQuotaRefused', 'connectionFailed']);
      expect(state).toMatchObject({ vpcEndpointState: 'failed', stateReason: 'QuotaExceeded', quota: 'refused' });
    });

    it('the service refused the attachment: failed with its reason, and the capacity is given back', () => {
      const { state, events } = run(request(), evaluate(), grant(), refused('PrincipalNotAllowed'));
      expect(types(events).slice(-2)).toEqual(['connectionFailed', 'connectionQuotaReleased']);
      expect(state).toMatchObject({
        vpcEndpointState: 'failed',
        stateReason: 'PrincipalNotAllowed',
        quota: 'released',
        attachment: 'none',
      });
    });

    it('every step happens once: a redelivered step decides nothing', () => {
      const { state } = run(...PENDING_ACCEPTANCE);
      for (const again of [evaluate(), grant(), attached(), refused(), detached])
        expect(decideEndpointConnection(again, state)).toEqual([]);
    });
  });

  // ── provider: accept, reject ────────────────────────────────────────────────────────────────────

  describe('the provider accepts or rejects', () => {
    it('accept: pendingAcceptance → available (Accept), with DNS names', () => {
      const { state } = run(...PENDING_ACCEPTANCE);
      const events = decideEndpointConnection(accept(), state);
      expect(events).toEqual([
        expect.objectContaining({
          type: 'connectionAccepted',
          stateBefore: 'pendingAcceptance',
          stateAfter: 'available',
          connectionEvent: 'Accept',
        }),
      ]);
      expect(fold(endpointConnectionDecider.evolve, state, events)).toMatchObject({
        vpcEndpointState: 'available',
        pendingAcceptanceSince: null,
      });
    });

    it('only a pendingAcceptance connection can be accepted', () => {
      for (const commands of [AVAILABLE, [request()], [request(), evaluate(null)]]) {
        expect(caught(() => run(...commands, accept())).code).toBe('IncorrectState');
      }
    });

    it('reject from pendingAcceptance: rejected (Reject), detached from the service, capacity given back', () => {
      const { state, events } = run(...PENDING_ACCEPTANCE, reject());
      expect(types(events).slice(-3)).toEqual(['connectionRejected', 'connectionDetachRequested', 'connectionQuotaReleased']);
      expect(events[events.length - 3]).toMatchObject({
        stateBefore: 'pendingAcceptance',
        stateAfter: 'rejected',
        connectionEvent: 'Reject',
      });
      expect(state).toMatchObject({ vpcEndpointState: 'rejected', attachment: 'detachRequested', quota: 'released' });
      expect(run(...PENDING_ACCEPTANCE, reject(), detached).state!.attachment).toBe('detached');
    });

    it('a provider can reject an endpoint after it has been accepted and is available', () => {
      const { state } = run(...AVAILABLE, reject());
      expect(state).toMatchObject({ vpcEndpointState: 'rejected', dnsEntries: [] });
    });

    it('only pendingAcceptance and available connections can be rejected', () => {
      expect(caught(() => run(request(), reject())).code).toBe('IncorrectState');
      expect(caught(() => run(...AVAILABLE, reject(), reject())).code).toBe('IncorrectState');
    });

    it('a connection to another service, or of another provider, is NotFound', () => {
      expect(caught(() => run(...PENDING_ACCEPTANCE, accept({ serviceId: serviceId('1'.repeat(17)) }))).code).toBe(
        'InvalidVpcEndpointId.NotFound',
      );
      expect(caught(() => run(...PENDING_ACCEPTANCE, reject({ providerAccountId: '999988887777' }))).code).toBe(
        'InvalidVpcEndpointId.NotFound',
      );
      expect(caught(() => decideEndpointConnection(accept(), null)).code).toBe('InvalidVpcEndpointId.NotFound');
    });
  });

  // ── consumer: delete ────────────────────────────────────────────────────────────────────────────

  describe('the consumer deletes', () => {
    it('an available endpoint: deleting, detached from the service, capacity back, then deleted (Delete)', () => {
      const { state, events } = run(...AVAILABLE, remove());
      expect(types(events).slice(-3)).toEqual(['connectionDeleting', 'connectionDetachRequested', 'connectionQuotaReleased']);
      expect(state!.vpcEndpointState).toBe('deleting');
      const done = decideEndpointConnection(detached, state);
      expect(types(done)).toEqual(['connectionDetached', 'connectionDeleted']);
      expect(done[1]).toMatchObject({ stateBefore: 'deleting', stateAfter: 'deleted', connectionEvent: 'Delete' });
    });

    it('a pending endpoint not yet evaluated is deleted at once', () => {
      const { state, events } = run(request(), remove());
      expect(types(events).slice(1)).toEqual(['connectionDeleting', 'connectionDeleted']);
      expect(state!.vpcEndpointState).toBe('deleted');
      expect(decideEndpointConnection(evaluate(), state)).toEqual([]);
    });

    it('deleted while its attachment is in flight: attached later, it is detached, then deleted', () => {
      const { state } = run(request(), evaluate(), grant(), remove());
      expect(state).toMatchObject({ vpcEndpointState: 'deleting', attachment: 'requested', quota: 'released' });
      const late = run(request(), evaluate(), grant(), remove(), attached(false));
      expect(late.state).toMatchObject({ vpcEndpointState: 'deleting', attachment: 'detachRequested' });
      expect(run(request(), evaluate(), grant(), remove(), attached(false), detached).state!.vpcEndpointState).toBe('deleted');
      expect(run(request(), evaluate(), grant(), remove(), refused()).state!.vpcEndpointState).toBe('deleted');
    });

    it('deleted while the quota answer is pending: a late grant is given back at once', () => {
      const { state } = run(request(), evaluate(), remove());
      expect(state).toMatchObject({ vpcEndpointState: 'deleting', quota: 'requested' });
      const granted = run(request(), evaluate(), remove(), grant(true));
      expect(types(granted.events).slice(-3)).toEqual(['connectionQuotaGranted', 'connectionQuotaReleased', 'connectionDeleted']);
      expect(run(request(), evaluate(), remove(), grant(false)).state!.vpcEndpointState).toBe('deleted');
    });

    it('rejected and failed endpoints can be deleted too', () => {
      expect(run(...PENDING_ACCEPTANCE, reject(), detached, remove()).state!.vpcEndpointState).toBe('deleted');
      expect(run(...PENDING_ACCEPTANCE, reject(), remove()).state!.vpcEndpointState).toBe('deleting');
      expect(run(request(), evaluate(null), remove()).state!.vpcEndpointState).toBe('deleted');
    });

    it('deleting twice is a no-op; a deleted endpoint is gone', () => {
      const { state } = run(...AVAILABLE, remove());
      expect(decideEndpointConnection(remove(), state)).toEqual([]);
      expect(caught(() => run(request(), remove(), remove())).code).toBe('InvalidVpcEndpointId.NotFound');
    });

    it("only the consumer account that requested it can delete an endpoint (another's is NotFound)", () => {
      expect(caught(() => run(...AVAILABLE, remove(OTHER_CONSUMER))).code).toBe('InvalidVpcEndpointId.NotFound');
      expect(caught(() => run(...AVAILABLE, remove(PROVIDER))).code).toBe('InvalidVpcEndpointId.NotFound');
    });
  });

  // ── consumer: modify ────────────────────────────────────────────────────────────────────────────

  describe('the consumer modifies', () => {
    const available = () => stateOf(...AVAILABLE);
    const threeZones = facts(service({ type: 'net' }));
    threeZones.zones = [ZONE_A, ZONE_B, ZONE_C];

    it('subnets can be added and removed within the rules; DNS names follow', () => {
      const events = decideEndpointConnection(
        modify(
          { addSubnets: [{ subnetId: 'subnet-efefefef', availabilityZoneId: 'use1-az3' }], removeSubnetIds: ['subnet-abababab'] },
          { service: threeZones },
        ),
        available(),
      );
      expect(events).toHaveLength(1);
      const after = fold(endpointConnectionDecider.evolve, available(), events)!;
      expect(after.subnets.map((s) => s.subnetId)).toEqual(['subnet-cdcdcdcd', 'subnet-efefefef']);
      expect(after.dnsEntries.map((d) => d.dnsName)).toEqual([
        `${EP}-${SUFFIX}.${BASE}`,
        `${EP}-${SUFFIX}-us-east-1b.${BASE}`,
        `${EP}-${SUFFIX}-us-east-1c.${BASE}`,
      ]);
    });

    it('an added subnet must be in a zone the service offers and not in a zone already used', () => {
      expect(
        caught(() =>
          decideEndpointConnection(modify({ addSubnets: [{ subnetId: 'subnet-efefefef', availabilityZoneId: 'use1-az3' }] }), available()),
        ).field,
      ).toBe('addSubnets[0].availabilityZoneId');
      expect(
        caught(() =>
          decideEndpointConnection(modify({ addSubnets: [{ subnetId: 'subnet-efefefef', availabilityZoneId: 'use1-az1' }] }), available()),
        ).field,
      ).toBe('subnets[2].availabilityZoneId');
    });

    it('an interface endpoint keeps at least one subnet; only its own subnets can be removed', () => {
      expect(
        caught(() => decideEndpointConnection(modify({ removeSubnetIds: ['subnet-abababab', 'subnet-cdcdcdcd'] }), available())).field,
      ).toBe('removeSubnetIds');
      expect(caught(() => decideEndpointConnection(modify({ removeSubnetIds: ['subnet-12121212'] }), available())).field).toBe(
        'removeSubnetIds[0]',
      );
    });

    it('security groups replace the default group; removing them all brings it back', () => {
      const added = fold(
        endpointConnectionDecider.evolve,
        available(),
        decideEndpointConnection(modify({ addSecurityGroupIds: ['sg-1a2b3c4d'] }), available()),
      )!;
      expect(added.groups).toEqual([{ groupId: 'sg-1a2b3c4d' }]);
      const removed = fold(
        endpointConnectionDecider.evolve,
        added,
        decideEndpointConnection(modify({ removeSecurityGroupIds: ['sg-1a2b3c4d'] }), added),
      )!;
      expect(removed.groups).toEqual([{ groupName: 'default' }]);
    });

    it('the policy can be replaced (same rules as on create) or reset to full access', () => {
      const policy = JSON.stringify({
        Statement: [{ Effect: 'Allow', Principal: { AWS: CONSUMER_ROOT }, Action: 's3:GetObject', Resource: '*' }],
      });
      const changed = fold(
        endpointConnectionDecider.evolve,
        available(),
        decideEndpointConnection(modify({ policyDocument: policy }), available()),
      )!;
      expect(changed.policyDocument).toBe(policy);
      expect(
        fold(endpointConnectionDecider.evolve, changed, decideEndpointConnection(modify({ resetPolicy: true }), changed))!.policyDocument,
      ).toBe(FULL_ACCESS_POLICY);
      expect(
        caught(() => decideEndpointConnection(modify({ policyDocument: '{"Statement":[{"Effect":"Allow"}]}' }), available())).field,
      ).toBe('policyDocument');
    });

    it('enabling private DNS adds the verified private DNS name to the DNS entries', () => {
      const named = facts(service({ privateDnsName: 'api.example.com' }));
      const events = decideEndpointConnection(
        modify({ privateDnsEnabled: true }, { service: named, dns: { privateDnsName: 'api.example.com', verified: true } }),
        available(),
      );
      expect(events[0]).toMatchObject({ privateDnsEnabled: true });
      expect((events[0] as { dnsEntries: Array<{ dnsName: string }> }).dnsEntries.map((d) => d.dnsName)).toContain('api.example.com');
    });

    it('tags can be added and removed', () => {
      const tagged = fold(
        endpointConnectionDecider.evolve,
        available(),
        decideEndpointConnection(modify({ addTags: [{ key: 'env', value: 'prod' }] }), available()),
      )!;
      expect(tagged.tags).toEqual([{ key: 'env', value: 'prod' }]);
      expect(
        fold(endpointConnectionDecider.evolve, tagged, decideEndpointConnection(modify({ removeTagKeys: ['env'] }), tagged))!.tags,
      ).toEqual([]);
    });

    it('a change that changes nothing records nothing', () => {
      expect(decideEndpointConnection(modify({ removeTagKeys: ['absent'] }), available())).toEqual([]);
    });

    it("a Gateway Load Balancer endpoint's subnet never changes, and it has no security groups, policy or private DNS", () => {
      const gwlbFacts = facts(service({ type: 'gwy' }));
      const gwlb = stateOf(
        request({
          service: gwlbFacts,
          input: { vpcEndpointType: 'GatewayLoadBalancer', vpcId: 'vpc-ec43eb89', subnets: [interfaceInput().subnets[0]] },
        }),
        evaluate(service({ type: 'gwy' })),
        grant(),
        attached(false),
      );
      expect(gwlb.dnsEntries).toEqual([]);
      const m = (changes: Record<string, unknown>) => caught(() => decideEndpointConnection(modify(changes, { service: gwlbFacts }), gwlb));
      expect(m({ addSubnets: [{ subnetId: 'subnet-cdcdcdcd', availabilityZoneId: 'use1-az2' }] }).message).toMatch(/cannot be changed/);
      expect(m({ removeSubnetIds: ['subnet-abababab'] }).field).toBe('removeSubnetIds');
      expect(m({ addSecurityGroupIds: ['sg-1a2b3c4d'] }).field).toBe('addSecurityGroupIds');
      expect(m({ policyDocument: FULL_ACCESS_POLICY }).field).toBe('policyDocument');
      expect(m({ privateDnsEnabled: true }).field).toBe('privateDnsEnabled');
      expect(decideEndpointConnection(modify({ addTags: [{ key: 'k', value: 'v' }] }, { service: gwlbFacts }), gwlb)).toHaveLength(1);
    });

    it('only pendingAcceptance and available endpoints can be modified, and only by their owner', () => {
      expect(caught(() => run(request(), modify({ addTags: [{ key: 'k', value: 'v' }] }))).code).toBe('IncorrectState');
      expect(
        caught(() =>
          decideEndpointConnection(modify({ addTags: [{ key: 'k', value: 'v' }] }, { ownerAccountId: OTHER_CONSUMER }), available()),
        ).code,
      ).toBe('InvalidVpcEndpointId.NotFound');
    });
  });

  // ── DNS names and read helpers ──────────────────────────────────────────────────────────────────

  describe('DNS entries', () => {
    const endpoint = {
      vpcEndpointType: 'Interface' as const,
      vpcEndpointId: EP,
      dnsSuffix: SUFFIX,
      baseEndpointDnsName: BASE,
      privateDnsEnabled: true,
    };

    it('a Regional name, one zonal name per zone (zone after the suffix), then the private DNS name when verified and enabled', () => {
      const subnets = [
        { subnetId: 'subnet-1', availabilityZoneId: 'use1-az2', availabilityZone: 'us-east-1b' },
        { subnetId: 'subnet-2', availabilityZoneId: 'use1-az1', availabilityZone: 'us-east-1a' },
      ];
      expect(dnsEntriesFor({ ...endpoint, subnets }, { privateDnsName: 'api.example.com', verified: true })).toEqual([
        { dnsName: `vpce-0c1308d7312217abc-ks83awe7.${BASE}` },
        { dnsName: `vpce-0c1308d7312217abc-ks83awe7-us-east-1a.${BASE}` },
        { dnsName: `vpce-0c1308d7312217abc-ks83awe7-us-east-1b.${BASE}` },
        { dnsName: 'api.example.com' },
      ]);
    });

    it('no private DNS name while it is not verified or the option is off', () => {
      const subnets = [{ subnetId: 'subnet-1', availabilityZoneId: 'use1-az1', availabilityZone: 'us-east-1a' }];
      expect(dnsEntriesFor({ ...endpoint, subnets }, { privateDnsName: 'api.example.com', verified: false })).toHaveLength(2);
      expect(
        dnsEntriesFor({ ...endpoint, subnets, privateDnsEnabled: false }, { privateDnsName: 'api.example.com', verified: true }),
      ).toHaveLength(2);
    });
  });

  describe('read helpers', () => {
    it('the account root allows its users and roles; a role allows only itself', () => {
      expect(attachmentRefusal(service(), CONSUMER_ROLE, ['use1-az1'])).toBeNull();
      expect(attachmentRefusal(service({ principals: [CONSUMER_ROLE] }), CONSUMER_ROOT, ['use1-az1'])!.reason).toBe('PrincipalNotAllowed');
      expect(attachmentRefusal(service({ principals: ['*'] }), `arn:aws:iam::${OTHER_CONSUMER}:root`, ['use1-az1'])).toBeNull();
    });

    it('requestCheckFailure adds the private DNS verification to the service checks', () => {
      const named = service({ privateDnsName: 'api.example.com' });
      expect(requestCheckFailure(named, CONSUMER_ROOT, ['use1-az1'], false)!.reason).toBe('PrivateDnsNotVerified');
      expect(requestCheckFailure(named, CONSUMER_ROOT, ['use1-az1'], true)).toBeNull();
    });

    it('accepted automatically: acceptance not required, or the requester on autoAcceptPrincipals', () => {
      expect(acceptsAutomatically({ acceptanceRequired: false, autoAcceptPrincipals: [] }, CONSUMER_ROOT)).toBe(true);
      expect(acceptsAutomatically({ acceptanceRequired: true, autoAcceptPrincipals: [] }, CONSUMER_ROOT)).toBe(false);
      expect(acceptsAutomatically({ acceptanceRequired: true, autoAcceptPrincipals: [CONSUMER_ROOT] }, CONSUMER_ROLE)).toBe(true);
      expect(acceptsAutomatically({ acceptanceRequired: true, autoAcceptPrincipals: [CONSUMER_ROLE] }, CONSUMER_ROOT)).toBe(false);
    });
  });
});

import {
  EndpointServiceCommand,
  EndpointServiceEvent,
  EndpointServiceState,
  PUBLIC_SERVICE_WARNING,
  endpointServiceDecider,
  evolveEndpointService,
  isPublicService,
  loadBalancerArnsOf,
  mayConnect,
  principalAdditionOutcome,
  principalRemovalOutcome,
  privateDnsNameToVerify,
  publicServiceWarning,
  sharedAvailabilityZoneIds,
  zonesOf,
} from '.';
import { serviceId, servicePermissionId, vpcEndpointId } from '../ids';
import { LoadBalancerDescription } from '../load-balancer';
import { caught } from '../spec-support';
import { serviceSpec } from './spec-fixtures';

// ── fixtures ─────────────────────────────────────────────────────────────────────────────────────

const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '210987654321';
const REGION = 'us-east-1';
const NOW = '2026-11-27T10:00:00.000Z';
const LATER = '2026-11-27T11:00:00.000Z';
const SVC = serviceId('03d5ebb7d9579a2b3');
const EP1 = vpcEndpointId('0c1308d7312217abc');
const EP2 = vpcEndpointId('0c1308d7312217abd');
const PERM = (n: number) => servicePermissionId(n.toString(16).padStart(17, '0'));

const arn = (kind: 'net' | 'gwy' | 'app', name: string, id: string, account = ACCOUNT, region = REGION) =>
  `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/${kind}/${name}/${id}`;

const NLB1: LoadBalancerDescription = {
  arn: arn('net', 'nlb-one', 'e94221227f1ba532'),
  loadBalancerType: 'network',
  availabilityZones: [
    { zoneName: 'us-east-1b', zoneId: 'use1-az1' },
    { zoneName: 'us-east-1a', zoneId: 'use1-az6' },
  ],
  ipAddressType: 'ipv4',
  ownerAccountId: ACCOUNT,
};
const NLB2: LoadBalancerDescription = {
  ...NLB1,
  arn: arn('net', 'nlb-two', 'a94221227f1ba532'),
  availabilityZones: [
    { zoneName: 'us-east-1c', zoneId: 'use1-az2' },
    { zoneName: 'us-east-1b', zoneId: 'use1-az1' },
  ],
  ipAddressType: 'dualstack',
};
const NLB_DUAL: LoadBalancerDescription = { ...NLB1, arn: arn('net', 'nlb-dual', 'b94221227f1ba532'), ipAddressType: 'dualstack' };
const GWLB1: LoadBalancerDescription = {
  arn: arn('gwy', 'gwlb-one', '0123456789abcdef'),
  loadBalancerType: 'gateway',
  availabilityZones: [{ zoneName: 'us-east-1a', zoneId: 'use1-az6' }],
  ipAddressType: 'ipv4',
  ownerAccountId: ACCOUNT,
};
const GWLB2: LoadBalancerDescription = { ...GWLB1, arn: arn('gwy', 'gwlb-two', '1123456789abcdef') };

type Create = Extract<EndpointServiceCommand, { type: 'createEndpointService' }>;
type Modify = Extract<EndpointServiceCommand, { type: 'modifyEndpointService' }>;

const create = (overrides: Partial<Create> = {}): Create => ({
  type: 'createEndpointService',
  serviceId: SVC,
  ownerAccountId: ACCOUNT,
  region: REGION,
  baseDomain: 'amazonaws.com',
  networkLoadBalancers: [NLB1],
  now: NOW,
  ...overrides,
});
const createGateway = (overrides: Partial<Create> = {}): Create =>
  create({ networkLoadBalancers: undefined, gatewayLoadBalancers: [GWLB1], ...overrides });
const modify = (changes: Omit<Partial<Modify>, 'type'>): Modify => ({ type: 'modifyEndpointService', now: LATER, ...changes });

const { given, history } = serviceSpec;
const stateOf = (events: EndpointServiceEvent[]) => serviceSpec.stateOf(events) as EndpointServiceState;

const available: EndpointServiceCommand = { type: 'markAvailable', now: NOW };
const open = (id: string): EndpointServiceCommand => ({ type: 'recordConnectionOpened', vpcEndpointId: id });
const allow = (...principals: string[]): EndpointServiceCommand => ({
  type: 'addAllowedPrincipals',
  principals,
  servicePermissionIds: principals.map((_, i) => PERM(100 + i)),
  now: NOW,
});

const interfaceService = () => history(create());
const availableInterface = () => history(create(), available);
const withConnection = () => history(create({ privateDnsName: 'api.example.com' }), available, open(EP1));

// ── create ───────────────────────────────────────────────────────────────────────────────────────

describe('EndpointService', () => {
  describe('create', () => {
    it('an Interface service is created from Network Load Balancers with generated name, DNS name and zones', () => {
      expect(given().when(create({ tags: [{ key: 'env', value: 'prod' }], clientToken: 'token-1' }))).toEqual([
        {
          type: 'endpointServiceCreated',
          serviceId: SVC,
          serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-03d5ebb7d9579a2b3',
          serviceType: 'Interface',
          owner: ACCOUNT,
          region: REGION,
          acceptanceRequired: true,
          networkLoadBalancerArns: [NLB1.arn],
          gatewayLoadBalancerArns: [],
          loadBalancers: [{ arn: NLB1.arn, loadBalancerType: 'network', availabilityZones: NLB1.availabilityZones, ipAddressType: 'ipv4' }],
          availabilityZones: ['us-east-1a', 'us-east-1b'],
          availabilityZoneIds: ['use1-az1', 'use1-az6'],
          baseEndpointDnsNames: ['vpce-svc-03d5ebb7d9579a2b3.us-east-1.vpce.amazonaws.com'],
          privateDnsName: null,
          supportedIpAddressTypes: ['ipv4'],
          tags: [{ key: 'env', value: 'prod' }],
          clientToken: 'token-1',
          createdAt: NOW,
        },
      ]);
    });

    it('a new service is Pending, with no principals, no connections and no payer responsibility', () => {
      expect(stateOf(interfaceService())).toMatchObject({
        serviceState: 'Pending',
        allowedPrincipals: [],
        liveConnectionIds: [],
        payerResponsibility: null,
        createdAt: NOW,
        deletedAt: null,
      });
    });

    it('a GatewayLoadBalancer service is created from Gateway Load Balancers', () => {
      const [event] = given().when(createGateway());
      expect(event).toMatchObject({
        serviceType: 'GatewayLoadBalancer',
        gatewayLoadBalancerArns: [GWLB1.arn],
        networkLoadBalancerArns: [],
      });
    });

    it('a service with both Network and Gateway Load Balancers is refused', () => {
      expect(caught(() => given().when(create({ gatewayLoadBalancers: [GWLB1] })))).toMatchObject({
        code: 'InvalidParameterCombination',
        field: 'gatewayLoadBalancerArns',
      });
    });

    it('a service without load balancers is refused', () => {
      expect(caught(() => given().when(create({ networkLoadBalancers: [] })))).toMatchObject({
        code: 'MissingParameter',
        field: 'networkLoadBalancerArns',
      });
      expect(caught(() => given().when(create({ networkLoadBalancers: undefined })))).toMatchObject({ code: 'MissingParameter' });
    });

    it('a Gateway Load Balancer given as a Network Load Balancer is refused, naming the entry', () => {
      const error = caught(() => given().when(create({ networkLoadBalancers: [NLB1, GWLB1] })));
      expect(error).toMatchObject({ code: 'InvalidParameterValue', field: 'networkLoadBalancerArns[1]' });
      expect(error.message).toMatch(/Gateway Load Balancer/);
    });

    it('a Network Load Balancer given as a Gateway Load Balancer is refused', () => {
      expect(caught(() => given().when(createGateway({ gatewayLoadBalancers: [NLB1] })))).toMatchObject({
        field: 'gatewayLoadBalancerArns[0]',
      });
    });

    it('a description whose type contradicts its ARN is refused', () => {
      expect(caught(() => given().when(create({ networkLoadBalancers: [{ ...NLB1, loadBalancerType: 'gateway' }] })))).toMatchObject({
        field: 'networkLoadBalancerArns[0]',
      });
    });

    it('an Application Load Balancer is refused', () => {
      const error = caught(() => given().when(create({ networkLoadBalancers: [{ ...NLB1, arn: arn('app', 'alb', 'e94221227f1ba532') }] })));
      expect(error.message).toMatch(/Application Load Balancer/);
    });

    it('a load balancer of another Region is refused: a service is only available in its Region', () => {
      const elsewhere = { ...NLB1, arn: arn('net', 'nlb-one', 'e94221227f1ba532', ACCOUNT, 'eu-west-1') };
      expect(caught(() => given().when(create({ networkLoadBalancers: [elsewhere] })))).toMatchObject({
        code: 'InvalidParameterValue',
        field: 'networkLoadBalancerArns[0]',
      });
    });

    it('a load balancer of another account is refused (UnauthorizedOperation)', () => {
      const theirs = { ...NLB1, arn: arn('net', 'nlb-one', 'e94221227f1ba532', OTHER_ACCOUNT), ownerAccountId: OTHER_ACCOUNT };
      expect(caught(() => given().when(create({ networkLoadBalancers: [theirs] })))).toMatchObject({ code: 'UnauthorizedOperation' });
    });

    it('the same load balancer listed twice is refused', () => {
      expect(caught(() => given().when(create({ networkLoadBalancers: [NLB1, NLB1] })))).toMatchObject({
        field: 'networkLoadBalancerArns[1]',
      });
    });

    it('zones are the sorted union of the load balancers’ zones', () => {
      const [event] = given().when(create({ networkLoadBalancers: [NLB1, NLB2] }));
      expect(event).toMatchObject({
        availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        availabilityZoneIds: ['use1-az1', 'use1-az2', 'use1-az6'],
      });
    });

    it('a zone mapped to different ids by two load balancers is refused', () => {
      const conflicting = { ...NLB2, availabilityZones: [{ zoneName: 'us-east-1a', zoneId: 'use1-az4' }] };
      expect(caught(() => given().when(create({ networkLoadBalancers: [NLB1, conflicting] })))).toMatchObject({
        code: 'InvalidParameterValue',
      });
    });

    it('a load balancer without zones is refused', () => {
      expect(caught(() => given().when(create({ networkLoadBalancers: [{ ...NLB1, availabilityZones: [] }] })))).toMatchObject({
        field: 'networkLoadBalancerArns[0].availabilityZones',
      });
    });

    it('acceptance is required by default, as the CLI', () => {
      expect(given().when(create())[0]).toMatchObject({ acceptanceRequired: true });
      expect(given().when(create({ acceptanceRequired: false }))[0]).toMatchObject({ acceptanceRequired: false });
    });

    it('an Interface service may have a private DNS name, including a wildcard', () => {
      expect(given().when(create({ privateDnsName: '*.example.com' }))[0]).toMatchObject({ privateDnsName: '*.example.com' });
    });

    it('a Gateway Load Balancer service refuses a private DNS name', () => {
      const error = caught(() => given().when(createGateway({ privateDnsName: 'example.com' })));
      expect(error).toMatchObject({ code: 'InvalidParameterValue', field: 'privateDnsName' });
      expect(error.message).toMatch(/not supported/);
    });

    it('an upper-case private DNS name is refused', () => {
      expect(caught(() => given().when(create({ privateDnsName: 'Example.com' })))).toMatchObject({ field: 'privateDnsName' });
    });

    it('supported IP address types default to ipv4', () => {
      expect(given().when(create())[0]).toMatchObject({ supportedIpAddressTypes: ['ipv4'] });
    });

    it('ipv6 needs every load balancer dualstack', () => {
      expect(caught(() => given().when(create({ supportedIpAddressTypes: ['ipv4', 'ipv6'] })))).toMatchObject({
        field: 'supportedIpAddressTypes',
      });
      expect(caught(() => given().when(create({ networkLoadBalancers: [NLB1, NLB2], supportedIpAddressTypes: ['ipv6'] })))).toMatchObject({
        field: 'supportedIpAddressTypes',
      });
    });

    it('dualstack load balancers support ipv6; types come in canonical order without duplicates', () => {
      const [event] = given().when(create({ networkLoadBalancers: [NLB2], supportedIpAddressTypes: ['ipv6', 'ipv4', 'ipv6'] }));
      expect(event).toMatchObject({ supportedIpAddressTypes: ['ipv4', 'ipv6'] });
    });

    // The types' form (a boolean acceptanceRequired, 'ipv4' or 'ipv6' only) is the HTTP edge's: apps/endpoint-api/src/endpoint-services/endpoint-service-bodies.spec.ts.
    it('an empty list of IP address types is refused', () => {
      expect(caught(() => given().when(create({ supportedIpAddressTypes: [] })))).toMatchObject({ field: 'supportedIpAddressTypes' });
    });

    it('tags follow the tag rules: aws: prefix and 51 tags refused', () => {
      expect(caught(() => given().when(create({ tags: [{ key: 'aws:x', value: '' }] })))).toMatchObject({ field: 'tags[0].key' });
      const tags = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: '' }));
      expect(caught(() => given().when(create({ tags })))).toMatchObject({ code: 'TagLimitExceeded' });
    });

    it('ids, account, Region and base domain are validated', () => {
      expect(caught(() => given().when(create({ serviceId: 'vpce-svc-1' })))).toMatchObject({ field: 'serviceId' });
      expect(caught(() => given().when(create({ ownerAccountId: '1234' })))).toMatchObject({ field: 'ownerAccountId' });
      expect(caught(() => given().when(create({ region: 'mars-1' })))).toMatchObject({ field: 'region' });
      expect(caught(() => given().when(create({ baseDomain: 'Bad Domain' })))).toMatchObject({ field: 'baseDomain' });
    });

    it('a client token longer than 64 characters is refused', () => {
      expect(caught(() => given().when(create({ clientToken: 'x'.repeat(65) })))).toMatchObject({ field: 'clientToken' });
    });

    it('a service cannot be created twice', () => {
      expect(caught(() => given(...interfaceService()).when(create()))).toMatchObject({ code: 'IncorrectState' });
    });
  });

  // ── lifecycle ──────────────────────────────────────────────────────────────────────────────────

  describe('lifecycle', () => {
    it('a Pending service becomes Available', () => {
      expect(given(...interfaceService()).when(available)).toEqual([{ type: 'endpointServiceAvailable', serviceId: SVC, at: NOW }]);
      expect(stateOf(availableInterface()).serviceState).toBe('Available');
    });

    it('marking an Available service available again is a no-op', () => {
      expect(given(...availableInterface()).when(available)).toEqual([]);
    });

    it('an unknown service is NotFound', () => {
      expect(caught(() => given().when(available))).toMatchObject({ code: 'InvalidVpcEndpointServiceId.NotFound' });
    });

    it('a service whose load balancer vanished is Failed, and can become Available again', () => {
      const events = history(create(), available, { type: 'markFailed', reason: 'load balancer deleted', now: LATER });
      expect(stateOf(events)).toMatchObject({ serviceState: 'Failed', failureReason: 'load balancer deleted' });
      expect(given(...events).when({ type: 'markFailed', reason: 'again', now: LATER })).toEqual([]);
      expect(stateOf([...events, ...given(...events).when(available)])).toMatchObject({ serviceState: 'Available', failureReason: null });
    });

    it('a service without live connections is deleted through Deleting to Deleted', () => {
      const deleting = given(...availableInterface()).when({ type: 'deleteEndpointService', now: LATER });
      expect(deleting).toEqual([
        { type: 'endpointServiceDeleting', serviceId: SVC, networkLoadBalancerArns: [NLB1.arn], gatewayLoadBalancerArns: [], at: LATER },
      ]);
      const events = [...availableInterface(), ...deleting];
      expect(stateOf(events).serviceState).toBe('Deleting');
      const deleted = given(...events).when({ type: 'completeDeletion', now: LATER });
      expect(deleted).toEqual([{ type: 'endpointServiceDeleted', serviceId: SVC, at: LATER }]);
      expect(stateOf([...events, ...deleted])).toMatchObject({ serviceState: 'Deleted', deletedAt: LATER });
    });

    it('a service with pending or available connections cannot be deleted; the answer lists them', () => {
      const { when } = given(...withConnection(), { type: 'endpointServiceConnectionOpened', serviceId: SVC, vpcEndpointId: EP2 });
      const error = caught(() => when({ type: 'deleteEndpointService', now: LATER }));
      expect(error).toMatchObject({ code: 'IncorrectState', details: { vpcEndpointIds: [EP1, EP2] } });
      expect(error.message).toContain(EP1);
      expect(error.message).toContain(EP2);
    });

    it('once its connections are closed the service can be deleted', () => {
      const events = [
        ...withConnection(),
        { type: 'endpointServiceConnectionClosed', serviceId: SVC, vpcEndpointId: EP1 } as EndpointServiceEvent,
      ];
      expect(given(...events).when({ type: 'deleteEndpointService', now: LATER })).toHaveLength(1);
    });

    it('deleting a service already being deleted is a no-op; completing twice too', () => {
      const events = history(create(), { type: 'deleteEndpointService', now: LATER });
      expect(given(...events).when({ type: 'deleteEndpointService', now: LATER })).toEqual([]);
      const done = [...events, ...given(...events).when({ type: 'completeDeletion', now: LATER })];
      expect(given(...done).when({ type: 'completeDeletion', now: LATER })).toEqual([]);
    });

    it('deletion can be completed only once it has started', () => {
      expect(caught(() => given(...availableInterface()).when({ type: 'completeDeletion', now: LATER }))).toMatchObject({
        code: 'IncorrectState',
      });
    });

    it('a deleted service is gone: every change answers NotFound', () => {
      const deleted = history(create(), { type: 'deleteEndpointService', now: LATER }, { type: 'completeDeletion', now: LATER });
      const { when } = given(...deleted);
      for (const command of [
        available,
        modify({ acceptanceRequired: false }),
        allow('*'),
        { type: 'createTags', tags: [] } as EndpointServiceCommand,
        { type: 'deleteEndpointService', now: LATER } as EndpointServiceCommand,
        open(EP1),
      ]) {
        expect(caught(() => when(command))).toMatchObject({ code: 'InvalidVpcEndpointServiceId.NotFound' });
      }
    });

    it('a service being deleted refuses configuration changes and can no longer fail', () => {
      const { when } = given(...history(create(), { type: 'deleteEndpointService', now: LATER }));
      expect(caught(() => when(modify({ acceptanceRequired: false })))).toMatchObject({ code: 'IncorrectState' });
      expect(caught(() => when(allow('*')))).toMatchObject({ code: 'IncorrectState' });
      expect(caught(() => when({ type: 'markFailed', reason: 'x', now: LATER }))).toMatchObject({ code: 'IncorrectState' });
      expect(caught(() => when(available))).toMatchObject({ code: 'IncorrectState' });
    });
  });

  // ── connections ────────────────────────────────────────────────────────────────────────────────

  describe('connections the broker records', () => {
    it('a connection to an Available service is recorded as live', () => {
      expect(given(...availableInterface()).when(open(EP1))).toEqual([
        { type: 'endpointServiceConnectionOpened', serviceId: SVC, vpcEndpointId: EP1 },
      ]);
      expect(stateOf(withConnection()).liveConnectionIds).toEqual([EP1]);
    });

    it('recording the same connection twice is a no-op', () => {
      expect(given(...withConnection()).when(open(EP1))).toEqual([]);
    });

    it('connections can be made only to an Available service', () => {
      expect(caught(() => given(...interfaceService()).when(open(EP1)))).toMatchObject({ code: 'IncorrectState' });
      expect(caught(() => given(...history(create(), { type: 'deleteEndpointService', now: LATER })).when(open(EP1)))).toMatchObject({
        code: 'IncorrectState',
      });
    });

    it('a malformed endpoint id is refused', () => {
      expect(caught(() => given(...availableInterface()).when(open('vpce-1')))).toMatchObject({ field: 'vpcEndpointId' });
    });

    it('attaching a requester: the service decides the attachment rules on its own stream (attachmentRefusal)', () => {
      const ROOT = `arn:aws:iam::${OTHER_ACCOUNT}:root`;
      const attach = (principal: string, zones = ['use1-az1']): EndpointServiceCommand => ({
        type: 'recordConnectionOpened',
        vpcEndpointId: EP1,
        requester: { principal, availabilityZoneIds: zones },
      });
      const allowed = history(create(), available, allow(ROOT));
      expect(given(...allowed).when(attach(`arn:aws:iam::${OTHER_ACCOUNT}:role/app`))).toEqual([
        { type: 'endpointServiceConnectionOpened', serviceId: SVC, vpcEndpointId: EP1 },
      ]);
      expect(caught(() => given(...allowed).when(attach(`arn:aws:iam::${ACCOUNT}:root`)))).toMatchObject({
        code: 'UnauthorizedOperation',
        field: 'serviceId',
        details: { vpcEndpointId: EP1, stateReason: 'PrincipalNotAllowed' },
      });
      expect(caught(() => given(...allowed).when(attach(ROOT, ['use1-az4'])))).toMatchObject({
        code: 'IncorrectState',
        details: { stateReason: 'NoCommonAvailabilityZone' },
      });
      expect(caught(() => given(...history(create(), allow(ROOT))).when(attach(ROOT)))).toMatchObject({
        code: 'IncorrectState',
        details: { stateReason: 'ServiceUnavailable' },
      });
      expect(caught(() => given().when(attach(ROOT)))).toMatchObject({
        code: 'IncorrectState',
        details: { stateReason: 'ServiceUnavailable' },
      });
      // Already attached: no event, even if the principal was removed since (the same answer as the first time).
      const attached = [...allowed, ...given(...allowed).when(attach(ROOT))];
      const removed = [...attached, ...given(...attached).when({ type: 'removeAllowedPrincipals', principals: [ROOT], now: LATER })];
      expect(given(...removed).when(attach(ROOT))).toEqual([]);
    });

    it('a private DNS name is verified only for an Interface service that has one and is not being deleted', () => {
      expect(privateDnsNameToVerify(stateOf(history(create({ privateDnsName: 'api.example.com' }))))).toBe('api.example.com');
      expect(caught(() => privateDnsNameToVerify(stateOf(interfaceService())))).toMatchObject({
        code: 'IncorrectState',
        field: 'serviceId',
      });
      expect(caught(() => privateDnsNameToVerify(stateOf(history(createGateway())))).message).toMatch(
        /private DNS names are not supported/,
      );
      const deleting = history(create({ privateDnsName: 'api.example.com' }), { type: 'deleteEndpointService', now: LATER });
      expect(caught(() => privateDnsNameToVerify(stateOf(deleting))).message).toMatch(/being deleted/);
    });

    it('a closed connection is no longer live; closing an unknown one is a no-op', () => {
      const closed = given(...withConnection()).when({ type: 'recordConnectionClosed', vpcEndpointId: EP1 });
      expect(closed).toEqual([{ type: 'endpointServiceConnectionClosed', serviceId: SVC, vpcEndpointId: EP1 }]);
      expect(stateOf([...withConnection(), ...closed]).liveConnectionIds).toEqual([]);
      expect(given(...availableInterface()).when({ type: 'recordConnectionClosed', vpcEndpointId: EP2 })).toEqual([]);
      expect(given().when({ type: 'recordConnectionClosed', vpcEndpointId: EP2 })).toEqual([]);
    });
  });

  // ── modify ─────────────────────────────────────────────────────────────────────────────────────

  describe('modify', () => {
    it('adding a Network Load Balancer recomputes the zones', () => {
      expect(given(...availableInterface()).when(modify({ addNetworkLoadBalancers: [NLB2] }))).toEqual([
        {
          type: 'endpointServiceLoadBalancersChanged',
          serviceId: SVC,
          addedLoadBalancers: [
            { arn: NLB2.arn, loadBalancerType: 'network', availabilityZones: NLB2.availabilityZones, ipAddressType: 'dualstack' },
          ],
          removedLoadBalancerArns: [],
          networkLoadBalancerArns: [NLB1.arn, NLB2.arn],
          gatewayLoadBalancerArns: [],
          availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
          availabilityZoneIds: ['use1-az1', 'use1-az2', 'use1-az6'],
        },
      ]);
    });

    it('removing a load balancer recomputes the zones from the ones left', () => {
      const events = history(
        create({ networkLoadBalancers: [NLB1, NLB2] }),
        available,
        modify({ removeNetworkLoadBalancerArns: [NLB1.arn] }),
      );
      expect(stateOf(events)).toMatchObject({
        networkLoadBalancerArns: [NLB2.arn],
        availabilityZones: ['us-east-1b', 'us-east-1c'],
        availabilityZoneIds: ['use1-az1', 'use1-az2'],
      });
      expect(zonesOf(stateOf(events))).toEqual([
        { zoneName: 'us-east-1b', zoneId: 'use1-az1' },
        { zoneName: 'us-east-1c', zoneId: 'use1-az2' },
      ]);
    });

    it('adding a load balancer already associated changes nothing', () => {
      expect(given(...availableInterface()).when(modify({ addNetworkLoadBalancers: [NLB1] }))).toEqual([]);
    });

    it('an Interface service refuses Gateway Load Balancer changes', () => {
      expect(caught(() => given(...availableInterface()).when(modify({ addGatewayLoadBalancers: [GWLB1] })))).toMatchObject({
        field: 'addGatewayLoadBalancerArns',
      });
      expect(caught(() => given(...availableInterface()).when(modify({ removeGatewayLoadBalancerArns: [GWLB1.arn] })))).toMatchObject({
        field: 'removeGatewayLoadBalancerArns',
      });
    });

    it('a GatewayLoadBalancer service refuses Network Load Balancer changes and takes Gateway ones', () => {
      const { when } = given(...history(createGateway(), available));
      expect(caught(() => when(modify({ addNetworkLoadBalancers: [NLB1] })))).toMatchObject({ field: 'addNetworkLoadBalancerArns' });
      expect(when(modify({ addGatewayLoadBalancers: [GWLB2] }))[0]).toMatchObject({ gatewayLoadBalancerArns: [GWLB1.arn, GWLB2.arn] });
    });

    it('a load balancer cannot be removed while endpoints are attached', () => {
      const events = history(create({ networkLoadBalancers: [NLB1, NLB2] }), available, open(EP1));
      const error = caught(() => given(...events).when(modify({ removeNetworkLoadBalancerArns: [NLB2.arn] })));
      expect(error).toMatchObject({ code: 'IncorrectState', field: 'removeNetworkLoadBalancerArns', details: { vpcEndpointIds: [EP1] } });
    });

    it('a load balancer can still be added while endpoints are attached', () => {
      expect(given(...withConnection()).when(modify({ addNetworkLoadBalancers: [NLB2] }))).toHaveLength(1);
    });

    it('the service keeps at least one load balancer', () => {
      expect(caught(() => given(...availableInterface()).when(modify({ removeNetworkLoadBalancerArns: [NLB1.arn] })))).toMatchObject({
        code: 'InvalidParameterValue',
        field: 'removeNetworkLoadBalancerArns',
      });
    });

    it('swapping the only load balancer for another in one request is allowed', () => {
      const events = history(create(), modify({ addNetworkLoadBalancers: [NLB2], removeNetworkLoadBalancerArns: [NLB1.arn] }));
      expect(stateOf(events).networkLoadBalancerArns).toEqual([NLB2.arn]);
    });

    it('removing a load balancer the service does not have is refused', () => {
      expect(caught(() => given(...availableInterface()).when(modify({ removeNetworkLoadBalancerArns: [NLB2.arn] })))).toMatchObject({
        field: 'removeNetworkLoadBalancerArns[0]',
      });
    });

    it('adding and removing the same load balancer is refused', () => {
      const { when } = given(...history(create({ networkLoadBalancers: [NLB1, NLB2] })));
      expect(caught(() => when(modify({ addNetworkLoadBalancers: [NLB2], removeNetworkLoadBalancerArns: [NLB2.arn] })))).toMatchObject({
        code: 'InvalidParameterCombination',
      });
    });

    it('a malformed ARN to remove is refused naming its entry', () => {
      expect(caught(() => given(...availableInterface()).when(modify({ removeNetworkLoadBalancerArns: ['nope'] })))).toMatchObject({
        field: 'removeNetworkLoadBalancerArns[0]',
      });
    });

    it('acceptanceRequired is toggled; the same value changes nothing', () => {
      expect(given(...availableInterface()).when(modify({ acceptanceRequired: false }))).toEqual([
        { type: 'endpointServiceAcceptanceRequiredChanged', serviceId: SVC, acceptanceRequired: false },
      ]);
      expect(given(...availableInterface()).when(modify({ acceptanceRequired: true }))).toEqual([]);
    });

    it('a private DNS name is set, then changed, carrying the previous name', () => {
      const events = history(create(), modify({ privateDnsName: 'a.example.com' }));
      expect(events[1]).toEqual({
        type: 'endpointServicePrivateDnsNameSet',
        serviceId: SVC,
        privateDnsName: 'a.example.com',
        previousPrivateDnsName: null,
      });
      expect(given(...events).when(modify({ privateDnsName: 'b.example.com' }))).toEqual([
        {
          type: 'endpointServicePrivateDnsNameSet',
          serviceId: SVC,
          privateDnsName: 'b.example.com',
          previousPrivateDnsName: 'a.example.com',
        },
      ]);
      expect(given(...events).when(modify({ privateDnsName: 'a.example.com' }))).toEqual([]);
    });

    it('the private DNS name can be changed while connections exist', () => {
      expect(given(...withConnection()).when(modify({ privateDnsName: 'b.example.com' }))).toHaveLength(1);
    });

    it('the private DNS name is removed when the service has no connections', () => {
      const events = history(create({ privateDnsName: 'api.example.com' }), available);
      expect(given(...events).when(modify({ removePrivateDnsName: true }))).toEqual([
        { type: 'endpointServicePrivateDnsNameRemoved', serviceId: SVC, previousPrivateDnsName: 'api.example.com' },
      ]);
    });

    it('the private DNS name cannot be removed while the service has connections', () => {
      const error = caught(() => given(...withConnection()).when(modify({ removePrivateDnsName: true })));
      expect(error).toMatchObject({ code: 'IncorrectState', field: 'removePrivateDnsName', details: { vpcEndpointIds: [EP1] } });
    });

    it('removing a private DNS name that is not set changes nothing', () => {
      expect(given(...availableInterface()).when(modify({ removePrivateDnsName: true }))).toEqual([]);
    });

    it('setting and removing the private DNS name at once is refused', () => {
      expect(
        caught(() => given(...availableInterface()).when(modify({ privateDnsName: 'a.example.com', removePrivateDnsName: true }))),
      ).toMatchObject({
        code: 'InvalidParameterCombination',
      });
    });

    it('a Gateway Load Balancer service refuses a private DNS name on modify too', () => {
      expect(caught(() => given(...history(createGateway())).when(modify({ privateDnsName: 'example.com' })))).toMatchObject({
        field: 'privateDnsName',
      });
    });

    it('an invalid private DNS name is refused on modify', () => {
      expect(caught(() => given(...availableInterface()).when(modify({ privateDnsName: `${'a'.repeat(64)}.example.com` })))).toMatchObject({
        field: 'privateDnsName',
      });
    });

    it('ipv6 is added when every load balancer is dualstack', () => {
      const { when } = given(...history(create({ networkLoadBalancers: [NLB_DUAL] })));
      expect(when(modify({ addSupportedIpAddressTypes: ['ipv6'] }))).toEqual([
        { type: 'endpointServiceSupportedIpAddressTypesChanged', serviceId: SVC, supportedIpAddressTypes: ['ipv4', 'ipv6'] },
      ]);
    });

    it('ipv6 is refused while a load balancer is ipv4 only', () => {
      expect(caught(() => given(...availableInterface()).when(modify({ addSupportedIpAddressTypes: ['ipv6'] })))).toMatchObject({
        field: 'addSupportedIpAddressTypes',
      });
    });

    it('an ipv4-only load balancer cannot join a service that supports ipv6', () => {
      const { when } = given(...history(create({ networkLoadBalancers: [NLB2], supportedIpAddressTypes: ['ipv4', 'ipv6'] })));
      expect(caught(() => when(modify({ addNetworkLoadBalancers: [NLB1] })))).toMatchObject({ field: 'addNetworkLoadBalancerArns' });
    });

    it('an IP address type is removed, but never the last one', () => {
      const { when } = given(...history(create({ networkLoadBalancers: [NLB2], supportedIpAddressTypes: ['ipv4', 'ipv6'] })));
      expect(when(modify({ removeSupportedIpAddressTypes: ['ipv4'] }))).toEqual([
        { type: 'endpointServiceSupportedIpAddressTypesChanged', serviceId: SVC, supportedIpAddressTypes: ['ipv6'] },
      ]);
      expect(caught(() => when(modify({ removeSupportedIpAddressTypes: ['ipv4', 'ipv6'] })))).toMatchObject({
        field: 'removeSupportedIpAddressTypes',
      });
    });

    it('adding and removing the same IP address type is refused', () => {
      expect(
        caught(() =>
          given(...availableInterface()).when(modify({ addSupportedIpAddressTypes: ['ipv4'], removeSupportedIpAddressTypes: ['ipv4'] })),
        ),
      ).toMatchObject({
        code: 'InvalidParameterCombination',
      });
    });

    it('payer responsibility moves to the service owner, once', () => {
      const events = history(create(), modify({ payerResponsibility: 'ServiceOwner' }));
      expect(events[1]).toEqual({ type: 'endpointServicePayerResponsibilityChanged', serviceId: SVC, payerResponsibility: 'ServiceOwner' });
      expect(stateOf(events).payerResponsibility).toBe('ServiceOwner');
      expect(given(...events).when(modify({ payerResponsibility: 'ServiceOwner' }))).toEqual([]);
    });

    it('payer responsibility other than ServiceOwner is refused', () => {
      expect(caught(() => given(...availableInterface()).when(modify({ payerResponsibility: 'ServiceConsumer' })))).toMatchObject({
        code: 'InvalidParameterValue',
        field: 'payerResponsibility',
      });
    });

    it('an empty modification changes nothing', () => {
      expect(given(...availableInterface()).when(modify({}))).toEqual([]);
    });

    it('a modification is all or nothing: one bad field refuses the whole request', () => {
      expect(
        caught(() => given(...availableInterface()).when(modify({ acceptanceRequired: false, privateDnsName: 'BAD.example.com' }))),
      ).toMatchObject({
        field: 'privateDnsName',
      });
    });

    it('several changes in one request give one event each, in a fixed order', () => {
      const events = given(...history(create({ networkLoadBalancers: [NLB_DUAL] }))).when(
        modify({
          payerResponsibility: 'ServiceOwner',
          privateDnsName: 'a.example.com',
          acceptanceRequired: false,
          addSupportedIpAddressTypes: ['ipv6'],
          addNetworkLoadBalancers: [NLB2],
        }),
      );
      expect(events.map((e) => e.type)).toEqual([
        'endpointServiceLoadBalancersChanged',
        'endpointServiceSupportedIpAddressTypesChanged',
        'endpointServiceAcceptanceRequiredChanged',
        'endpointServicePrivateDnsNameSet',
        'endpointServicePayerResponsibilityChanged',
      ]);
    });

    it('a Failed service can be repaired by modifying it', () => {
      const events = history(create({ networkLoadBalancers: [NLB1, NLB2] }), { type: 'markFailed', reason: 'nlb-one deleted', now: LATER });
      expect(given(...events).when(modify({ removeNetworkLoadBalancerArns: [NLB1.arn] }))).toHaveLength(1);
    });
  });

  // ── allowed principals ─────────────────────────────────────────────────────────────────────────

  describe('description (beyond the guide)', () => {
    it('a description given at create is recorded on the created event and the state; none leaves both without one', () => {
      const [created] = given().when(create({ description: 'Payments API, v2' }));
      expect(created).toMatchObject({ type: 'endpointServiceCreated', description: 'Payments API, v2' });
      expect(stateOf([created]).description).toBe('Payments API, v2');
      const [plain] = given().when(create());
      expect(plain).not.toHaveProperty('description');
      expect(stateOf([plain])).not.toHaveProperty('description');
    });

    it('modify sets, changes and removes it (an empty string removes it); the same description changes nothing', () => {
      const events = history(create({ description: 'first' }), available);
      expect(given(...events).when(modify({ description: 'second\nline' }))).toEqual([
        { type: 'endpointServiceDescriptionChanged', serviceId: SVC, description: 'second\nline' },
      ]);
      expect(given(...events).when(modify({ description: 'first' }))).toEqual([]);
      const removed = history(create({ description: 'first' }), available, modify({ description: '' }));
      expect(removed[removed.length - 1]).toEqual({ type: 'endpointServiceDescriptionChanged', serviceId: SVC, description: null });
      expect(stateOf(removed)).not.toHaveProperty('description');
      expect(given(...interfaceService()).when(modify({ description: '' }))).toEqual([]);
    });

    it('at most 255 characters of text, at create and at modify: else a 400 naming description', () => {
      expect(given().when(create({ description: 'x'.repeat(255) }))).toHaveLength(1);
      for (const description of ['x'.repeat(256), 'bad\u0000byte', 'lone \ud800 surrogate']) {
        expect(caught(() => given().when(create({ description })))).toMatchObject({ code: 'InvalidParameterValue', field: 'description' });
        expect(caught(() => given(...availableInterface()).when(modify({ description })))).toMatchObject({
          code: 'InvalidParameterValue',
          field: 'description',
        });
      }
    });

    it('a service being deleted keeps its description', () => {
      const deleting = history(create(), available, { type: 'deleteEndpointService', now: LATER });
      expect(caught(() => given(...deleting).when(modify({ description: 'late' })))).toMatchObject({ code: 'IncorrectState' });
    });
  });

  describe('allowed principals', () => {
    const ROOT = `arn:aws:iam::${OTHER_ACCOUNT}:root`;
    const USER = `arn:aws:iam::${OTHER_ACCOUNT}:user/alice`;
    const ROLE = `arn:aws:iam::${OTHER_ACCOUNT}:role/deployer`;

    it('added principals are allowed with their type and a service permission id', () => {
      expect(
        given(...availableInterface()).when({
          type: 'addAllowedPrincipals',
          principals: [ROOT, USER, ROLE, '*'],
          servicePermissionIds: [PERM(1), PERM(2), PERM(3), PERM(4)],
          now: NOW,
        }),
      ).toEqual([
        {
          type: 'endpointServicePrincipalsAllowed',
          serviceId: SVC,
          allowedPrincipals: [
            { principal: ROOT, principalType: 'Account', servicePermissionId: PERM(1) },
            { principal: USER, principalType: 'User', servicePermissionId: PERM(2) },
            { principal: ROLE, principalType: 'Role', servicePermissionId: PERM(3) },
            { principal: '*', principalType: 'All', servicePermissionId: PERM(4) },
          ],
          at: NOW,
        },
      ]);
    });

    it('adding a principal already allowed is idempotent: no event, and the outcome says it was present', () => {
      const events = history(create(), allow(ROOT));
      const { when } = given(...events);
      const command: EndpointServiceCommand = {
        type: 'addAllowedPrincipals',
        principals: [ROOT, USER],
        servicePermissionIds: [PERM(7), PERM(8)],
        now: NOW,
      };
      expect(when(command)).toEqual([
        {
          type: 'endpointServicePrincipalsAllowed',
          serviceId: SVC,
          allowedPrincipals: [{ principal: USER, principalType: 'User', servicePermissionId: PERM(8) }],
          at: NOW,
        },
      ]);
      expect(principalAdditionOutcome([ROOT, USER], when(command))).toEqual({ added: [USER], alreadyPresent: [ROOT] });
      expect(given(...events).when(allow(ROOT))).toEqual([]);
    });

    it('a principal named twice in one request is allowed once', () => {
      const [event] = given(...interfaceService()).when(allow(USER, USER));
      expect(event).toMatchObject({ allowedPrincipals: [{ principal: USER }] });
      expect(principalAdditionOutcome([USER, USER], given(...interfaceService()).when(allow(USER, USER)))).toEqual({
        added: [USER],
        alreadyPresent: [],
      });
    });

    it('a principal ARN with a path is refused with a clear message', () => {
      const error = caught(() => given(...interfaceService()).when(allow(USER, `arn:aws:iam::${OTHER_ACCOUNT}:user/division/bob`)));
      expect(error).toMatchObject({ code: 'InvalidParameterValue', field: 'addAllowedPrincipals[1]' });
      expect(error.message).toMatch(/paths are not supported/);
    });

    it('an empty list of principals is refused', () => {
      expect(caught(() => given(...interfaceService()).when(allow()))).toMatchObject({
        code: 'MissingParameter',
        field: 'addAllowedPrincipals',
      });
    });

    it('each new principal needs a fresh, well-formed service permission id', () => {
      const { when } = given(...history(create(), allow(ROOT)));
      expect(caught(() => when({ type: 'addAllowedPrincipals', principals: [USER], servicePermissionIds: [], now: NOW }))).toMatchObject({
        field: 'servicePermissionIds',
      });
      expect(
        caught(() => when({ type: 'addAllowedPrincipals', principals: [USER], servicePermissionIds: ['perm-1'], now: NOW })),
      ).toMatchObject({
        field: 'servicePermissionIds[0]',
      });
      expect(
        caught(() => when({ type: 'addAllowedPrincipals', principals: [USER], servicePermissionIds: [PERM(100)], now: NOW })),
      ).toMatchObject({
        field: 'servicePermissionIds[0]',
      });
    });

    it('removed principals are listed with their permission ids', () => {
      const { when } = given(...history(create(), allow(ROOT, USER)));
      expect(when({ type: 'removeAllowedPrincipals', principals: [USER], now: LATER })).toEqual([
        {
          type: 'endpointServicePrincipalsRemoved',
          serviceId: SVC,
          allowedPrincipals: [{ principal: USER, principalType: 'User', servicePermissionId: PERM(101) }],
          at: LATER,
        },
      ]);
    });

    it('removing a principal that is absent is idempotent: no event, and the outcome says it was absent', () => {
      const events = history(create(), allow(ROOT));
      expect(given(...events).when({ type: 'removeAllowedPrincipals', principals: [USER], now: LATER })).toEqual([]);
      const both = given(...events).when({ type: 'removeAllowedPrincipals', principals: [ROOT, USER], now: LATER });
      expect(principalRemovalOutcome([ROOT, USER], both)).toEqual({ removed: [ROOT], alreadyAbsent: [USER] });
    });

    it('removal validates the principals too', () => {
      expect(
        caught(() => given(...interfaceService()).when({ type: 'removeAllowedPrincipals', principals: ['bob'], now: LATER })),
      ).toMatchObject({
        field: 'removeAllowedPrincipals[0]',
      });
      expect(
        caught(() => given(...interfaceService()).when({ type: 'removeAllowedPrincipals', principals: [], now: LATER })),
      ).toMatchObject({
        code: 'MissingParameter',
      });
    });

    it('the state lists the allowed principals after adds and removes', () => {
      const events = history(create(), allow(ROOT, USER), { type: 'removeAllowedPrincipals', principals: [ROOT], now: LATER });
      expect(stateOf(events).allowedPrincipals).toEqual([{ principal: USER, principalType: 'User', servicePermissionId: PERM(101) }]);
    });

    it('* with acceptance not required makes the service public, with the guide’s warning', () => {
      const events = history(create({ acceptanceRequired: false }), allow('*'));
      expect(isPublicService(stateOf(events))).toBe(true);
      expect(publicServiceWarning(stateOf(events))).toBe(PUBLIC_SERVICE_WARNING);
      expect(PUBLIC_SERVICE_WARNING).toMatch(/made your load balancer public/);
    });

    it('* with acceptance required is not public, until acceptance is switched off', () => {
      const events = history(create(), allow('*'));
      expect(isPublicService(stateOf(events))).toBe(false);
      expect(publicServiceWarning(stateOf(events))).toBeUndefined();
      const switchedOff = given(...events).when(modify({ acceptanceRequired: false }));
      expect(isPublicService(stateOf([...events, ...switchedOff]))).toBe(true);
    });

    it('acceptance not required without * is not public', () => {
      expect(isPublicService(stateOf(history(create({ acceptanceRequired: false }), allow(ROOT))))).toBe(false);
      expect(isPublicService(null)).toBe(false);
    });

    it('a consumer may connect when an allowed principal matches it and the service is Available', () => {
      const pending = stateOf(history(create(), allow(ROOT)));
      expect(mayConnect(pending, USER)).toBe(false);
      const ready = stateOf(history(create(), allow(ROOT), available));
      expect(mayConnect(ready, USER)).toBe(true);
      expect(mayConnect(ready, `arn:aws:iam::${ACCOUNT}:user/alice`)).toBe(false);
      expect(mayConnect(null, USER)).toBe(false);
    });
  });

  // ── tags ───────────────────────────────────────────────────────────────────────────────────────

  describe('tags', () => {
    it('created tags are merged; the event carries the resulting tags', () => {
      const { when } = given(...history(create({ tags: [{ key: 'env', value: 'dev' }] })));
      expect(
        when({
          type: 'createTags',
          tags: [
            { key: 'env', value: 'prod' },
            { key: 'team', value: 'a' },
          ],
        }),
      ).toEqual([
        {
          type: 'endpointServiceTagsChanged',
          serviceId: SVC,
          tags: [
            { key: 'env', value: 'prod' },
            { key: 'team', value: 'a' },
          ],
        },
      ]);
    });

    it('deleted tags are removed; nothing to change gives no event', () => {
      const { when } = given(...history(create({ tags: [{ key: 'env', value: 'dev' }] })));
      expect(when({ type: 'deleteTags', tagKeys: ['env'] })).toEqual([{ type: 'endpointServiceTagsChanged', serviceId: SVC, tags: [] }]);
      expect(when({ type: 'deleteTags', tagKeys: ['other'] })).toEqual([]);
      expect(when({ type: 'createTags', tags: [{ key: 'env', value: 'dev' }] })).toEqual([]);
    });

    it('a service holds at most 50 tags', () => {
      const tags = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: '' }));
      const { when } = given(...history(create({ tags })));
      expect(caught(() => when({ type: 'createTags', tags: [{ key: 'one-more', value: '' }] }))).toMatchObject({
        code: 'TagLimitExceeded',
      });
    });

    it('the aws: prefix and duplicate keys are refused', () => {
      const { when } = given(...interfaceService());
      expect(caught(() => when({ type: 'createTags', tags: [{ key: 'AWS:name', value: '' }] }))).toMatchObject({ field: 'tags[0].key' });
      expect(
        caught(() =>
          when({
            type: 'createTags',
            tags: [
              { key: 'a', value: '' },
              { key: 'a', value: '' },
            ],
          }),
        ),
      ).toMatchObject({ field: 'tags[1].key' });
      expect(caught(() => when({ type: 'deleteTags', tagKeys: ['aws:x'] }))).toMatchObject({ field: 'tagKeys[0]' });
    });
  });

  // ── read helpers ───────────────────────────────────────────────────────────────────────────────

  describe('read helpers', () => {
    it('a consumer in another account sees only the zone ids both sides share', () => {
      const state = stateOf(history(create({ networkLoadBalancers: [NLB1, NLB2] })));
      expect(sharedAvailabilityZoneIds(state, ['use1-az6', 'use1-az4', 'use1-az2'])).toEqual(['use1-az2', 'use1-az6']);
    });

    it('the load balancer ARNs of a service are listed for the registry', () => {
      expect(loadBalancerArnsOf(stateOf(history(create({ networkLoadBalancers: [NLB1, NLB2] }))))).toEqual([NLB1.arn, NLB2.arn]);
    });

    it('the decider object bundles decide, evolve and the initial state', () => {
      expect(endpointServiceDecider.initialState).toBeNull();
      expect(endpointServiceDecider.decide(create(), null)).toHaveLength(1);
    });

    it('evolve ignores events for a stream that was never created', () => {
      expect(evolveEndpointService(null, { type: 'endpointServiceAvailable', serviceId: SVC, at: NOW })).toBeNull();
    });
  });
});

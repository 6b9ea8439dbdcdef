import { serviceId } from './ids';
import {
  LoadBalancerCommand,
  LoadBalancerEvent,
  describeLoadBalancer,
  loadBalancerDecider,
  loadBalancerForServiceRequest,
} from './load-balancer';
import { caught, deciderSpec } from './spec-support';

const ACCOUNT = '123456789012';
const NLB = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/net/nlb-vpce/e94221227f1ba532`;
const GWLB = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/gwy/my-gwlb/0123456789abcdef`;
const NOW = '2026-11-27T10:00:00.000Z';
const SVC_A = serviceId('0000000000000000a');
const SVC_B = serviceId('0000000000000000b');

const register = (overrides: Partial<Extract<LoadBalancerCommand, { type: 'registerLoadBalancer' }>> = {}): LoadBalancerCommand => ({
  type: 'registerLoadBalancer',
  arn: NLB,
  loadBalancerType: 'network',
  availabilityZones: [
    { zoneName: 'us-east-1a', zoneId: 'use1-az6' },
    { zoneName: 'us-east-1b', zoneId: 'use1-az1' },
  ],
  ipAddressType: 'ipv4',
  ownerAccountId: ACCOUNT,
  tags: [{ key: 'team', value: 'net' }],
  now: NOW,
  ...overrides,
});

const registered: LoadBalancerEvent = {
  type: 'loadBalancerRegistered',
  arn: NLB,
  loadBalancerType: 'network',
  name: 'nlb-vpce',
  region: 'us-east-1',
  ownerAccountId: ACCOUNT,
  availabilityZones: [
    { zoneName: 'us-east-1a', zoneId: 'use1-az6' },
    { zoneName: 'us-east-1b', zoneId: 'use1-az1' },
  ],
  ipAddressType: 'ipv4',
  tags: [{ key: 'team', value: 'net' }],
  registeredAt: NOW,
};

const { given } = deciderSpec(loadBalancerDecider);

describe('LoadBalancer', () => {
  describe('register', () => {
    it('a Network Load Balancer is registered with its zones, IP address type and tags', () => {
      expect(given().when(register())).toEqual([registered]);
    });

    it('a Gateway Load Balancer is registered as gateway', () => {
      const [event] = given().when(register({ arn: GWLB, loadBalancerType: 'gateway', ipAddressType: 'dualstack' }));
      expect(event).toMatchObject({
        type: 'loadBalancerRegistered',
        loadBalancerType: 'gateway',
        name: 'my-gwlb',
        ipAddressType: 'dualstack',
      });
    });

    it('the type in the ARN must match the declared type', () => {
      expect(caught(() => given().when(register({ loadBalancerType: 'gateway' })))).toMatchObject({
        code: 'InvalidParameterValue',
        field: 'loadBalancerType',
      });
    });

    it('an unknown load balancer type is refused', () => {
      expect(caught(() => given().when(register({ loadBalancerType: 'application' as never })))).toMatchObject({
        field: 'loadBalancerType',
      });
    });

    it('an Application Load Balancer cannot be registered', () => {
      const error = caught(() => given().when(register({ arn: NLB.replace('/net/', '/app/') })));
      expect(error).toMatchObject({ code: 'InvalidParameterValue', field: 'arn' });
      expect(error.message).toMatch(/Application Load Balancer/);
    });

    it('an account can register only its own load balancers (UnauthorizedOperation)', () => {
      expect(caught(() => given().when(register({ ownerAccountId: '210987654321' })))).toMatchObject({
        code: 'UnauthorizedOperation',
        field: 'arn',
      });
    });

    it('at least one Availability Zone is needed', () => {
      expect(caught(() => given().when(register({ availabilityZones: [] })))).toMatchObject({
        code: 'MissingParameter',
        field: 'availabilityZones',
      });
    });

    it('zones must be unique', () => {
      const zones = [
        { zoneName: 'us-east-1a', zoneId: 'use1-az6' },
        { zoneName: 'us-east-1a', zoneId: 'use1-az6' },
      ];
      expect(caught(() => given().when(register({ availabilityZones: zones })))).toMatchObject({ field: 'availabilityZones[1].zoneName' });
    });

    it("zones must be in the load balancer's Region", () => {
      const zones = [{ zoneName: 'eu-west-1a', zoneId: 'euw1-az1' }];
      expect(caught(() => given().when(register({ availabilityZones: zones })))).toMatchObject({ field: 'availabilityZones[0].zoneName' });
    });

    it('the IP address type is ipv4 or dualstack', () => {
      expect(caught(() => given().when(register({ ipAddressType: 'ipv6' as never })))).toMatchObject({ field: 'ipAddressType' });
    });

    it('tags follow the tag rules', () => {
      expect(caught(() => given().when(register({ tags: [{ key: 'aws:x', value: '' }] })))).toMatchObject({ field: 'tags[0].key' });
    });

    it('a registered load balancer cannot be registered again (DuplicateLoadBalancer)', () => {
      expect(caught(() => given(registered).when(register()))).toMatchObject({ code: 'DuplicateLoadBalancer' });
    });

    it('a deregistered load balancer can be registered again, fresh', () => {
      const { state, when } = given(registered, { type: 'loadBalancerDeregistered', arn: NLB, deregisteredAt: NOW });
      expect(state?.status).toBe('deregistered');
      expect(when(register())).toHaveLength(1);
    });
  });

  describe('deregister', () => {
    it('an unused load balancer is deregistered', () => {
      const { when } = given(registered);
      expect(when({ type: 'deregisterLoadBalancer', now: NOW })).toEqual([
        { type: 'loadBalancerDeregistered', arn: NLB, deregisteredAt: NOW },
      ]);
    });

    it('a load balancer used by a service cannot be deregistered (ResourceInUse, naming the services)', () => {
      const { when } = given(registered, { type: 'loadBalancerAttachedToService', arn: NLB, serviceId: SVC_A });
      const error = caught(() => when({ type: 'deregisterLoadBalancer', now: NOW }));
      expect(error).toMatchObject({ code: 'ResourceInUse', details: { serviceIds: [SVC_A] } });
    });

    it('once released by its service it can be deregistered', () => {
      const { when } = given(
        registered,
        { type: 'loadBalancerAttachedToService', arn: NLB, serviceId: SVC_A },
        { type: 'loadBalancerDetachedFromService', arn: NLB, serviceId: SVC_A },
      );
      expect(when({ type: 'deregisterLoadBalancer', now: NOW })).toHaveLength(1);
    });

    it('deregistering twice is a no-op', () => {
      expect(
        given(registered, { type: 'loadBalancerDeregistered', arn: NLB, deregisteredAt: NOW }).when({
          type: 'deregisterLoadBalancer',
          now: NOW,
        }),
      ).toEqual([]);
    });

    it('an unknown load balancer is NotFound', () => {
      expect(caught(() => given().when({ type: 'deregisterLoadBalancer', now: NOW }))).toMatchObject({
        code: 'InvalidLoadBalancerArn.NotFound',
      });
    });
  });

  describe('use by services', () => {
    it('a service marks the load balancer used; marking twice is a no-op', () => {
      const first = given(registered).when({ type: 'markUsedByService', serviceId: SVC_A });
      expect(first).toEqual([{ type: 'loadBalancerAttachedToService', arn: NLB, serviceId: SVC_A }]);
      expect(given(registered, ...first).when({ type: 'markUsedByService', serviceId: SVC_A })).toEqual([]);
    });

    it('several services can be tracked', () => {
      const { state } = given(
        registered,
        { type: 'loadBalancerAttachedToService', arn: NLB, serviceId: SVC_A },
        { type: 'loadBalancerAttachedToService', arn: NLB, serviceId: SVC_B },
      );
      expect(state?.usedByServiceIds).toEqual([SVC_A, SVC_B]);
    });

    it('a deregistered load balancer cannot be used (NotFound)', () => {
      const { when } = given(registered, { type: 'loadBalancerDeregistered', arn: NLB, deregisteredAt: NOW });
      expect(caught(() => when({ type: 'markUsedByService', serviceId: SVC_A }))).toMatchObject({
        code: 'InvalidLoadBalancerArn.NotFound',
      });
    });

    it('a malformed service id is refused', () => {
      expect(caught(() => given(registered).when({ type: 'markUsedByService', serviceId: 'svc-1' }))).toMatchObject({ field: 'serviceId' });
    });

    it('releasing a service that does not use it is a no-op', () => {
      expect(given(registered).when({ type: 'markReleasedByService', serviceId: SVC_A })).toEqual([]);
      expect(given().when({ type: 'markReleasedByService', serviceId: SVC_A })).toEqual([]);
    });

    it('releasing a using service emits the detach', () => {
      const { when } = given(registered, { type: 'loadBalancerAttachedToService', arn: NLB, serviceId: SVC_A });
      expect(when({ type: 'markReleasedByService', serviceId: SVC_A })).toEqual([
        { type: 'loadBalancerDetachedFromService', arn: NLB, serviceId: SVC_A },
      ]);
    });
  });

  describe('tags', () => {
    it('created tags are merged into the resource tags', () => {
      expect(given(registered).when({ type: 'createTags', tags: [{ key: 'env', value: 'prod' }] })).toEqual([
        {
          type: 'loadBalancerTagsChanged',
          arn: NLB,
          tags: [
            { key: 'team', value: 'net' },
            { key: 'env', value: 'prod' },
          ],
        },
      ]);
    });

    it('creating an identical tag changes nothing', () => {
      expect(given(registered).when({ type: 'createTags', tags: [{ key: 'team', value: 'net' }] })).toEqual([]);
    });

    it('deleted tags are removed; deleting an absent key changes nothing', () => {
      expect(given(registered).when({ type: 'deleteTags', tagKeys: ['team'] })).toEqual([
        { type: 'loadBalancerTagsChanged', arn: NLB, tags: [] },
      ]);
      expect(given(registered).when({ type: 'deleteTags', tagKeys: ['nope'] })).toEqual([]);
    });

    it('a load balancer holds at most 50 tags', () => {
      const tags = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: '' }));
      expect(caught(() => given(registered).when({ type: 'createTags', tags }))).toMatchObject({ code: 'TagLimitExceeded' });
    });

    it('tags of an unknown load balancer are NotFound', () => {
      expect(caught(() => given().when({ type: 'createTags', tags: [] }))).toMatchObject({ code: 'InvalidLoadBalancerArn.NotFound' });
    });
  });

  describe('evolve and describe', () => {
    it('the state mirrors the registration', () => {
      const { state } = given(registered, { type: 'loadBalancerTagsChanged', arn: NLB, tags: [] });
      expect(state).toMatchObject({
        arn: NLB,
        status: 'registered',
        usedByServiceIds: [],
        tags: [],
        registeredAt: NOW,
        deregisteredAt: null,
      });
    });

    it('the description for an endpoint service carries arn, type, zones, IP address type and owner', () => {
      expect(describeLoadBalancer(given(registered).state)).toEqual({
        arn: NLB,
        loadBalancerType: 'network',
        availabilityZones: registered.type === 'loadBalancerRegistered' ? registered.availabilityZones : [],
        ipAddressType: 'ipv4',
        ownerAccountId: ACCOUNT,
      });
    });

    it('describing a missing load balancer is NotFound', () => {
      expect(caught(() => describeLoadBalancer(null, NLB))).toMatchObject({ code: 'InvalidLoadBalancerArn.NotFound' });
    });

    it('the decider object bundles decide, evolve and the initial state', () => {
      expect(loadBalancerDecider.initialState).toBeNull();
      expect(loadBalancerDecider.decide(register(), null)).toHaveLength(1);
    });
  });

  describe('load balancers named in an endpoint service request', () => {
    it('a registered load balancer of the owner is described for the service', () => {
      expect(loadBalancerForServiceRequest(given(registered).state, NLB, 'networkLoadBalancerArns[0]', ACCOUNT, 'network')).toMatchObject({
        arn: NLB,
        loadBalancerType: 'network',
        ownerAccountId: ACCOUNT,
      });
    });

    it('an unknown load balancer is a bad parameter naming the entry, not a missing resource', () => {
      expect(caught(() => loadBalancerForServiceRequest(null, NLB, 'networkLoadBalancerArns[1]', ACCOUNT))).toMatchObject({
        code: 'InvalidParameterValue',
        field: 'networkLoadBalancerArns[1]',
        message: expect.stringContaining('is not registered'),
      });
    });

    it("another account's load balancer is reported exactly like an unknown one", () => {
      const theirs = caught(() =>
        loadBalancerForServiceRequest(given(registered).state, NLB, 'networkLoadBalancerArns[0]', '210987654321'),
      );
      const unknown = caught(() => loadBalancerForServiceRequest(null, NLB, 'networkLoadBalancerArns[0]', '210987654321'));
      expect(theirs).toMatchObject({ code: unknown.code, message: unknown.message, field: unknown.field });
    });

    it('a deregistered load balancer cannot back a service', () => {
      const { state } = given(registered, { type: 'loadBalancerDeregistered', arn: NLB, deregisteredAt: NOW });
      expect(caught(() => loadBalancerForServiceRequest(state, NLB, 'networkLoadBalancerArns[0]', ACCOUNT))).toMatchObject({
        code: 'InvalidParameterValue',
      });
    });

    it('a malformed ARN is refused before any lookup, naming the entry', () => {
      expect(caught(() => loadBalancerForServiceRequest(null, 'arn:aws:nope', 'addNetworkLoadBalancerArns[0]', ACCOUNT))).toMatchObject({
        code: 'InvalidParameterValue',
        field: 'addNetworkLoadBalancerArns[0]',
      });
    });

    it('a load balancer of the wrong kind for the field is refused, registered or not', () => {
      expect(caught(() => loadBalancerForServiceRequest(null, GWLB, 'networkLoadBalancerArns[0]', ACCOUNT, 'network'))).toMatchObject({
        code: 'InvalidParameterValue',
        field: 'networkLoadBalancerArns[0]',
        message: expect.stringContaining('is a Gateway Load Balancer'),
      });
    });
  });
});

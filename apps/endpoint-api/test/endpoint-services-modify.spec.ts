import { ZONES, eventually, lbArn, lbPath, servicePath, useApi, tokenOf } from './support';

describe('modify endpoint services over HTTP (real Postgres and Kafka)', () => {
  const api = useApi('modify');

  const { provider } = api;
  const patch = (serviceId: string, body: unknown) => provider().patch(servicePath(serviceId), body);
  const usedBy = async (arn: string) => (await provider().get(lbPath(arn)).expect(200)).body.loadBalancer.usedByServiceIds as string[];

  describe('load balancers', () => {
    it('adding a Network Load Balancer recomputes the zones and marks it used by the service, in the same transaction', async () => {
      const first = await api.registerLb({ zones: [ZONES.a] });
      const second = await api.registerLb({ zones: [ZONES.b, ZONES.c] });
      const s = await api.createAvailableService({ networkLoadBalancerArns: [first] });
      const res = await patch(s.serviceId, { addNetworkLoadBalancerArns: [second] }).expect(200);
      expect(res.body.serviceConfiguration).toMatchObject({
        networkLoadBalancerArns: [first, second],
        availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        availabilityZoneIds: ['use1-az1', 'use1-az2', 'use1-az3'],
      });
      // The registry's own stream got the attach in the same commit: deregistration is refused at once.
      expect((await provider().del(lbPath(second)).expect(409)).body.code).toBe('ResourceInUse');
      await eventually(async () => expect(await usedBy(second)).toEqual([s.serviceId]));
    });

    it('removing a load balancer recomputes the zones and releases it, so it can be deregistered', async () => {
      const keep = await api.registerLb({ zones: [ZONES.a] });
      const drop = await api.registerLb({ zones: [ZONES.c] });
      const s = await api.createAvailableService({ networkLoadBalancerArns: [keep, drop] });
      const res = await patch(s.serviceId, { removeNetworkLoadBalancerArns: [drop] }).expect(200);
      expect(res.body.serviceConfiguration).toMatchObject({ networkLoadBalancerArns: [keep], availabilityZones: ['us-east-1a'] });
      await provider().del(lbPath(drop)).expect(200);
      expect(await usedBy(keep)).toEqual([s.serviceId]);
    });

    it('the service keeps at least one load balancer; swapping the only one in one request is allowed', async () => {
      const only = await api.registerLb();
      const other = await api.registerLb();
      const s = await api.createAvailableService({ networkLoadBalancerArns: [only] });
      const refused = await patch(s.serviceId, { removeNetworkLoadBalancerArns: [only] }).expect(400);
      expect(refused.body).toMatchObject({ field: 'removeNetworkLoadBalancerArns', message: expect.stringMatching(/at least one/) });
      const swapped = await patch(s.serviceId, { addNetworkLoadBalancerArns: [other], removeNetworkLoadBalancerArns: [only] }).expect(200);
      expect(swapped.body.serviceConfiguration.networkLoadBalancerArns).toEqual([other]);
    });

    it('a load balancer cannot be removed while endpoints are attached (IncorrectState, listing them)', async () => {
      const a = await api.registerLb();
      const b = await api.registerLb();
      const s = await api.createAvailableService({ networkLoadBalancerArns: [a, b] });
      await api.recordConnection(s.serviceId, 'vpce-0aaaaaaaaaaaaaaa1');
      const res = await patch(s.serviceId, { removeNetworkLoadBalancerArns: [b] }).expect(409);
      expect(res.body).toMatchObject({
        code: 'IncorrectState',
        field: 'removeNetworkLoadBalancerArns',
        details: { vpcEndpointIds: ['vpce-0aaaaaaaaaaaaaaa1'] },
      });
      // Adding one is still allowed while endpoints are attached.
      const c = await api.registerLb();
      await patch(s.serviceId, { addNetworkLoadBalancerArns: [c] }).expect(200);
    });

    it('load balancer changes of the other type, unknown or unassociated load balancers, and malformed ARNs are 400s naming the field', async () => {
      const nlb = await api.registerLb();
      const gwlb = await api.registerLb({ kind: 'gwy' });
      const s = await api.createAvailableService({ networkLoadBalancerArns: [nlb] });
      expect((await patch(s.serviceId, { addGatewayLoadBalancerArns: [gwlb] }).expect(400)).body.field).toBe('addGatewayLoadBalancerArns');
      expect((await patch(s.serviceId, { removeGatewayLoadBalancerArns: [gwlb] }).expect(400)).body.field).toBe(
        'removeGatewayLoadBalancerArns',
      );
      expect((await patch(s.serviceId, { addNetworkLoadBalancerArns: [gwlb] }).expect(400)).body.field).toBe(
        'addNetworkLoadBalancerArns[0]',
      );
      expect((await patch(s.serviceId, { addNetworkLoadBalancerArns: [lbArn()] }).expect(400)).body).toMatchObject({
        field: 'addNetworkLoadBalancerArns[0]',
        message: expect.stringMatching(/not registered/),
      });
      const other = await api.registerLb();
      expect((await patch(s.serviceId, { removeNetworkLoadBalancerArns: [other] }).expect(400)).body.field).toBe(
        'removeNetworkLoadBalancerArns[0]',
      );
      expect((await patch(s.serviceId, { removeNetworkLoadBalancerArns: ['not-an-arn'] }).expect(400)).body.field).toBe(
        'removeNetworkLoadBalancerArns[0]',
      );
    });

    it('a GatewayLoadBalancer service takes Gateway Load Balancers and refuses a private DNS name', async () => {
      const g1 = await api.registerLb({ kind: 'gwy', zones: [ZONES.a] });
      const g2 = await api.registerLb({ kind: 'gwy', zones: [ZONES.b] });
      const s = await api.createAvailableService({ gatewayLoadBalancerArns: [g1] });
      const res = await patch(s.serviceId, { addGatewayLoadBalancerArns: [g2] }).expect(200);
      expect(res.body.serviceConfiguration).toMatchObject({
        gatewayLoadBalancerArns: [g1, g2],
        availabilityZoneIds: ['use1-az1', 'use1-az2'],
      });
      expect((await patch(s.serviceId, { privateDnsName: 'x.example.com' }).expect(400)).body.field).toBe('privateDnsName');
    });
  });

  describe('settings', () => {
    it('acceptanceRequired is toggled both ways', async () => {
      const s = await api.newService();
      expect((await patch(s.serviceId, { acceptanceRequired: false }).expect(200)).body.serviceConfiguration.acceptanceRequired).toBe(
        false,
      );
      const back = await patch(s.serviceId, { acceptanceRequired: true }).expect(200);
      expect(back.body.serviceConfiguration.acceptanceRequired).toBe(true);
      const read = await provider().get(servicePath(s.serviceId)).set('x-consistency-token', tokenOf(back)).expect(200);
      expect(read.body.serviceConfiguration.acceptanceRequired).toBe(true);
    });

    it('the private DNS name is set, changed and removed; removal is refused while the service has connections', async () => {
      const s = await api.newService();
      expect((await patch(s.serviceId, { privateDnsName: 'api.example.com' }).expect(200)).body.serviceConfiguration.privateDnsName).toBe(
        'api.example.com',
      );
      expect((await patch(s.serviceId, { privateDnsName: '*.example.com' }).expect(200)).body.serviceConfiguration.privateDnsName).toBe(
        '*.example.com',
      );
      await api.recordConnection(s.serviceId, 'vpce-0bbbbbbbbbbbbbbb1');
      const refused = await patch(s.serviceId, { removePrivateDnsName: true }).expect(409);
      expect(refused.body).toMatchObject({ code: 'IncorrectState', field: 'removePrivateDnsName' });
      // Changing it is still allowed with connections.
      await patch(s.serviceId, { privateDnsName: 'svc.example.com' }).expect(200);
      await api.recordConnection(s.serviceId, 'vpce-0bbbbbbbbbbbbbbb1', false);
      const removed = await patch(s.serviceId, { removePrivateDnsName: true }).expect(200);
      expect(removed.body.serviceConfiguration.privateDnsName).toBeUndefined();
    });

    it('bad private DNS names are refused, as is setting and removing it at once', async () => {
      const s = await api.newService();
      expect((await patch(s.serviceId, { privateDnsName: 'Api.Example.com' }).expect(400)).body).toMatchObject({ field: 'privateDnsName' });
      expect((await patch(s.serviceId, { privateDnsName: `${'x'.repeat(64)}.example.com` }).expect(400)).body).toMatchObject({
        field: 'privateDnsName',
      });
      expect((await patch(s.serviceId, { privateDnsName: 'a.example.com', removePrivateDnsName: true }).expect(400)).body).toMatchObject({
        code: 'InvalidParameterCombination',
        field: 'removePrivateDnsName',
      });
    });

    it('supported IP address types: ipv6 needs dualstack load balancers; the last type cannot be removed', async () => {
      const ipv4Only = await api.newService();
      expect((await patch(ipv4Only.serviceId, { addSupportedIpAddressTypes: ['ipv6'] }).expect(400)).body).toMatchObject({
        field: 'addSupportedIpAddressTypes',
        message: expect.stringMatching(/dualstack/),
      });
      expect((await patch(ipv4Only.serviceId, { removeSupportedIpAddressTypes: ['ipv4'] }).expect(400)).body.field).toBe(
        'removeSupportedIpAddressTypes',
      );
      const dual = await api.createAvailableService({ networkLoadBalancerArns: [await api.registerLb({ ipAddressType: 'dualstack' })] });
      const added = await patch(dual.serviceId, { addSupportedIpAddressTypes: ['ipv6'] }).expect(200);
      expect(added.body.serviceConfiguration.supportedIpAddressTypes).toEqual(['ipv4', 'ipv6']);
      const v6only = await patch(dual.serviceId, { removeSupportedIpAddressTypes: ['ipv4'] }).expect(200);
      expect(v6only.body.serviceConfiguration.supportedIpAddressTypes).toEqual(['ipv6']);
      // An ipv4-only load balancer cannot join a service that supports ipv6.
      expect((await patch(dual.serviceId, { addNetworkLoadBalancerArns: [await api.registerLb()] }).expect(400)).body.message).toMatch(
        /dualstack/,
      );
      expect((await patch(dual.serviceId, { addSupportedIpAddressTypes: ['ipv7'] }).expect(400)).body.field).toBe(
        'addSupportedIpAddressTypes[0]',
      );
    });

    it('payer responsibility goes to ServiceOwner, one way; any other value is a 400 naming payerResponsibility', async () => {
      const s = await api.newService();
      const path = `${servicePath(s.serviceId)}/payer-responsibility`;
      for (const bad of ['ServiceConsumer', 'serviceowner', '']) {
        expect((await provider().put(path, { payerResponsibility: bad }).expect(400)).body).toMatchObject({
          code: 'InvalidParameterValue',
          field: 'payerResponsibility',
        });
      }
      expect((await provider().put(path, {}).expect(400)).body).toMatchObject({ code: 'MissingParameter', field: 'payerResponsibility' });
      const set = await provider().put(path, { payerResponsibility: 'ServiceOwner' }).expect(200);
      expect(set.body.serviceConfiguration.payerResponsibility).toBe('ServiceOwner');
      await provider().put(path, { payerResponsibility: 'ServiceOwner' }).expect(200);
      // Not a field of the configuration PATCH (it has its own operation, as in EC2).
      expect((await patch(s.serviceId, { payerResponsibility: 'ServiceOwner' }).expect(400)).body.message).toMatch(
        /unknown field "payerResponsibility"/,
      );
    });

    it('a modification is all or nothing: one bad field leaves everything unchanged', async () => {
      const s = await api.newService();
      await patch(s.serviceId, { acceptanceRequired: false, privateDnsName: 'BAD.example.com' }).expect(400);
      const read = await provider().get(servicePath(s.serviceId)).expect(200);
      expect(read.body.serviceConfiguration).toMatchObject({ acceptanceRequired: true });
      expect(read.body.serviceConfiguration.privateDnsName).toBeUndefined();
    });

    it('an empty modification changes nothing; unknown fields and wrong types are refused', async () => {
      const s = await api.newService();
      expect((await patch(s.serviceId, {}).expect(200)).body.serviceConfiguration).toMatchObject({
        serviceId: s.serviceId,
        acceptanceRequired: true,
      });
      expect((await patch(s.serviceId, { acceptanceRequired: 'no' }).expect(400)).body.field).toBe('acceptanceRequired');
      expect((await patch(s.serviceId, { serviceState: 'Available' }).expect(400)).body.message).toMatch(/unknown field "serviceState"/);
    });

    it('modifying an unknown service is InvalidVpcEndpointServiceId.NotFound', async () => {
      const res = await patch('vpce-svc-0aaaaaaaaaaaaaaaa', { acceptanceRequired: false }).expect(404);
      expect(res.body.code).toBe('InvalidVpcEndpointServiceId.NotFound');
    });
  });
});

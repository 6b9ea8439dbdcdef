// The EC2 Query API on endpoint-api's listener, driven by the real @aws-sdk/client-ec2 (SigV4-signed with the
// demo principals' key pairs) against the real stack (Postgres, Kafka), and every raw answer checked against
// botocore's model.
import {
  CreateVpcEndpointServiceConfigurationCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  DescribeVpcEndpointServicesCommand,
  ModifyVpcEndpointServiceConfigurationCommand,
  ModifyVpcEndpointServicePermissionsCommand,
  DeleteVpcEndpointServiceConfigurationsCommand,
  paginateDescribeVpcEndpointServiceConfigurations,
} from '@aws-sdk/client-ec2';
import { checkAgainstModel, parseWireError } from '@privatelink/testing';
import { eventually, startApi, demoKeys, tokenOf } from './support';
import { WIRE_KEYS as KEYS, ec2Form as form, wireTarget } from './wire-support';

const wire = wireTarget('ec2', () => startApi('ec2-wire'));
const { ec2 } = wire;

describe('EC2 Query API with @aws-sdk/client-ec2', () => {
  let serviceId: string;
  let nlb: string;

  it('CreateVpcEndpointServiceConfiguration creates a service as REST does, with tags and the client token', async () => {
    nlb = await wire.app.registerLb();
    const create = () =>
      ec2('provider').send(
        new CreateVpcEndpointServiceConfigurationCommand({
          NetworkLoadBalancerArns: [nlb],
          AcceptanceRequired: true,
          ClientToken: 'wire-create-1',
          TagSpecifications: [{ ResourceType: 'vpc-endpoint-service', Tags: [{ Key: 'team', Value: 'wire' }] }],
        }),
      );
    const out = await create();
    serviceId = out.ServiceConfiguration!.ServiceId!;
    expect(serviceId).toMatch(/^vpce-svc-[0-9a-f]{17}$/);
    expect(out).toMatchObject({
      ClientToken: 'wire-create-1',
      ServiceConfiguration: {
        ServiceType: [{ ServiceType: 'Interface' }],
        AcceptanceRequired: true,
        NetworkLoadBalancerArns: [nlb],
        AvailabilityZones: ['us-east-1a', 'us-east-1b'],
        Tags: [{ Key: 'team', Value: 'wire' }],
      },
    });
    // The same token and request: the first result, no second service.
    const again = await create();
    expect(again.ServiceConfiguration!.ServiceId).toBe(serviceId);
    // The REST API sees the same service.
    const rest = await wire.app.as(demoKeys.provider).get(`/v1/provider/endpoint-services/${serviceId}`).expect(200);
    expect(rest.body.serviceConfiguration.tags).toEqual([{ key: 'team', value: 'wire' }]);
  });

  it('DescribeVpcEndpointServiceConfigurations reads the write at once (read-your-writes), by id and by filter', async () => {
    const out = await ec2('provider').send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }));
    expect(out.ServiceConfigurations!.map((s) => s.ServiceId)).toEqual([serviceId]);
    const byTag = await ec2('provider').send(
      new DescribeVpcEndpointServiceConfigurationsCommand({ Filters: [{ Name: 'tag:team', Values: ['wire'] }] }),
    );
    expect(byTag.ServiceConfigurations!.map((s) => s.ServiceId)).toContain(serviceId);
    // Another provider does not see it.
    const other = await ec2('otherProvider').send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }));
    expect(other.ServiceConfigurations).toEqual([]);
    await wire.app.waitForState(serviceId, 'Available');
  });

  it('the paginator walks every page', async () => {
    for (let n = 0; n < 6; n++) {
      await ec2('provider').send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [nlb] }));
    }
    const ids: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeVpcEndpointServiceConfigurations({ client: ec2('provider'), pageSize: 5 }, {})) {
      pages++;
      ids.push(...page.ServiceConfigurations!.map((s) => s.ServiceId!));
    }
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(7);
  });

  it('ModifyVpcEndpointServicePermissions allows a consumer, who then discovers the service', async () => {
    const out = await ec2('provider').send(
      new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: serviceId, AddAllowedPrincipals: ['arn:aws:iam::444455556666:root'] }),
    );
    expect(out.ReturnValue).toBe(true);
    expect(out.AddedPrincipals).toMatchObject([
      { Principal: 'arn:aws:iam::444455556666:root', PrincipalType: 'Account', ServiceId: serviceId },
    ]);
    const perms = await ec2('provider').send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: serviceId }));
    expect(perms.AllowedPrincipals!.map((p) => p.Principal)).toEqual(['arn:aws:iam::444455556666:root']);
    const found = await ec2('consumer').send(
      new DescribeVpcEndpointServicesCommand({ Filters: [{ Name: 'service-id', Values: [serviceId] }] }),
    );
    expect(found.ServiceDetails).toMatchObject([
      { ServiceId: serviceId, AcceptanceRequired: true, ServiceType: [{ ServiceType: 'Interface' }] },
    ]);
    expect(found.ServiceNames).toEqual([`com.amazonaws.vpce.us-east-1.${serviceId}`]);
  });

  it('ModifyVpcEndpointServiceConfiguration and DeleteVpcEndpointServiceConfigurations', async () => {
    await expect(
      ec2('provider').send(new ModifyVpcEndpointServiceConfigurationCommand({ ServiceId: serviceId, AcceptanceRequired: false })),
    ).resolves.toMatchObject({
      Return: true,
    });
    const out = await ec2('provider').send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }));
    expect(out.ServiceConfigurations![0].AcceptanceRequired).toBe(false);
    const deleted = await ec2('provider').send(
      new DeleteVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId, 'vpce-svc-00000000000000000'] }),
    );
    expect(deleted.Unsuccessful).toMatchObject([
      { ResourceId: 'vpce-svc-00000000000000000', Error: { Code: 'InvalidVpcEndpointServiceId.NotFound' } },
    ]);
  });

  it('errors carry EC2 codes: NotFound, a role that may not call the action, DryRun', async () => {
    await expect(
      ec2('provider').send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: 'vpce-svc-00000000000000000' })),
    ).rejects.toMatchObject({
      name: 'InvalidVpcEndpointServiceId.NotFound',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      ec2('consumer').send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [nlb] })),
    ).rejects.toMatchObject({
      name: 'UnauthorizedOperation',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      ec2('provider').send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [nlb], DryRun: true })),
    ).rejects.toMatchObject({
      name: 'DryRunOperation',
      $metadata: { httpStatusCode: 412 },
    });
    await expect(
      ec2('consumer').send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [nlb], DryRun: true })),
    ).rejects.toMatchObject({
      name: 'UnauthorizedOperation',
    });
    // A bad load balancer is the REST API's own validation, answered with its code.
    await expect(
      ec2('provider').send(
        new CreateVpcEndpointServiceConfigurationCommand({
          NetworkLoadBalancerArns: ['arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/none/0000000000000000'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } });
  });
});

describe('the wire protocol itself', () => {
  it('every answer is botocore-shaped (checked element by element against the model)', async () => {
    const lb = await wire.app.registerLb();
    const created = await wire.post(
      form({
        Action: 'CreateVpcEndpointServiceConfiguration',
        'NetworkLoadBalancerArn.1': lb,
        'TagSpecification.1.ResourceType': 'vpc-endpoint-service',
        'TagSpecification.1.Tag.1.Key': 'k',
        'TagSpecification.1.Tag.1.Value': 'v',
      }),
    );
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toMatch(/^text\/xml/);
    const report = checkAgainstModel(wire.model, 'CreateVpcEndpointServiceConfiguration', created.text);
    expect(report.problems).toEqual([]);
    expect(report.checked).toBeGreaterThan(10);
    const id = /<serviceId>([^<]+)<\/serviceId>/.exec(created.text)![1];
    for (const [action, params] of [
      ['DescribeVpcEndpointServiceConfigurations', { 'ServiceId.1': id }],
      ['DescribeVpcEndpointServicePermissions', { ServiceId: id }],
      ['ModifyVpcEndpointServicePermissions', { ServiceId: id, 'AddAllowedPrincipals.1': 'arn:aws:iam::444455556666:root' }],
      ['DescribeVpcEndpointConnections', { 'Filter.1.Name': 'service-id', 'Filter.1.Value.1': id }],
      ['DeleteVpcEndpointServiceConfigurations', { 'ServiceId.1': id }],
    ] as const) {
      const res = await wire.post(form({ Action: action, ...params }));
      expect({ action, status: res.status }).toEqual({ action, status: 200 });
      expect({ action, problems: checkAgainstModel(wire.model, action, res.text).problems }).toEqual({ action, problems: [] });
    }
  });

  it.each([
    ['an unknown Action', { Action: 'LaunchRockets' }, 400, 'InvalidAction'],
    ['no Action', {}, 400, 'MissingParameter'],
    ['a missing required parameter', { Action: 'DescribeVpcEndpointServicePermissions' }, 400, 'MissingParameter'],
    ['a malformed value', { Action: 'DescribeVpcEndpointServiceConfigurations', MaxResults: 'ten' }, 400, 'InvalidParameterValue'],
    [
      'an out-of-range value (the REST rule)',
      { Action: 'DescribeVpcEndpointServiceConfigurations', MaxResults: '2' },
      400,
      'InvalidParameterValue',
    ],
    ['an unknown parameter', { Action: 'DescribeVpcEndpointServiceConfigurations', Colour: 'blue' }, 400, 'UnknownParameter'],
  ])('%s (%j) → %i %s in EC2’s error document', async (_, params, status, code) => {
    const res = await wire.post(form(params as Record<string, string>));
    expect(res.status).toBe(status);
    expect(parseWireError(res.text)).toMatchObject({ code, requestId: expect.any(String) });
  });

  it('an unsupported Version is InvalidParameterValue', async () => {
    const res = await wire.post(new URLSearchParams({ Action: 'DescribeVpcs', Version: '2014-01-01' }).toString());
    expect(res.status).toBe(400);
    expect(parseWireError(res.text)).toMatchObject({ code: 'InvalidParameterValue', message: expect.stringContaining('Version') });
  });

  it('SigV4: unknown key AuthFailure 401, wrong secret SignatureDoesNotMatch 403, other region 403, old clock RequestExpired, bearer key 401', async () => {
    const body = form({ Action: 'DescribeVpcEndpointServiceConfigurations' });
    const cases = [
      [await wire.post(body, { key: { accessKeyId: 'AKIANOBODY0000000001', secretAccessKey: 'x' } }), 401, 'AuthFailure'],
      [await wire.post(body, { key: { ...KEYS.provider, secretAccessKey: 'wrong-secret-000000' } }), 403, 'SignatureDoesNotMatch'],
      [await wire.post(body, { region: 'eu-west-1' }), 403, 'SignatureDoesNotMatch'],
      [await wire.post(body, { date: new Date(Date.now() - 20 * 60_000) }), 400, 'RequestExpired'],
    ] as const;
    for (const [res, status, code] of cases) expect({ status: res.status, code: parseWireError(res.text).code }).toEqual({ status, code });
    const bearer = await fetch(`${wire.endpoint}/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demoKeys.provider}`, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(bearer.status).toBe(401);
    expect(parseWireError(await bearer.text()).code).toBe('AuthFailure');
    // SigV4 on a REST route: 401 in the REST API's JSON shape.
    const signedRest = await fetch(`${wire.endpoint}/v1/provider/endpoint-services`, {
      headers: {
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIADEMOPROVIDER0001/20261203/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00',
      },
    });
    expect(signedRest.status).toBe(401);
    expect(await signedRest.json()).toMatchObject({ code: 'AuthFailure' });
  });

  it('a body over the limit is a 413 in XML', async () => {
    const res = await wire.post(form({ Action: 'DescribeVpcEndpointServiceConfigurations', NextToken: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(parseWireError(res.text).code).toBe('InvalidParameterValue');
  });
});

describe('the network inventory on the REST API', () => {
  it('the same VPCs, subnets and groups as the EC2 API; an endpoint request may name a registered subnet by id alone', async () => {
    const consumer = wire.app.as(demoKeys.consumer);
    const created = await consumer.post('/v1/network/vpcs', { cidrBlock: '10.20.0.0/16' }).expect(201);
    const vpc = created.body.vpc;
    expect(vpc).toMatchObject({
      cidrBlock: '10.20.0.0/16',
      ownerAccountId: '444455556666',
      defaultSecurityGroupId: expect.stringMatching(/^sg-/),
    });
    const subnet = (
      await consumer
        .post('/v1/network/subnets', { vpcId: vpc.vpcId, cidrBlock: '10.20.1.0/24', availabilityZone: 'us-east-1a' })
        .expect(201)
    ).body.subnet;
    expect(subnet.availabilityZone).toEqual({ zoneName: 'us-east-1a', zoneId: 'use1-az1' });
    // Read-your-writes on REST: the create's token (its VPC's and default group's streams).
    const groups = (
      await consumer.get(`/v1/network/security-groups?filter.vpc-id=${vpc.vpcId}`).set('x-consistency-token', tokenOf(created)).expect(200)
    ).body.securityGroups;
    expect(groups).toMatchObject([{ groupName: 'default', isDefault: true }]);
    // The EC2 API reads the same inventory (the REST write's read model, once it has applied it).
    const { DescribeSubnetsCommand } = await import('@aws-sdk/client-ec2');
    await eventually(async () => {
      const viaEc2 = await ec2('consumer').send(new DescribeSubnetsCommand({ SubnetIds: [subnet.subnetId] }));
      expect(viaEc2.Subnets).toMatchObject([{ SubnetId: subnet.subnetId, AvailabilityZoneId: 'use1-az1' }]);
    });
    // Refusals with EC2's codes and REST's statuses.
    const overlap = await consumer
      .post('/v1/network/subnets', { vpcId: vpc.vpcId, cidrBlock: '10.20.1.0/25', availabilityZoneId: 'use1-az2' })
      .expect(409);
    expect(overlap.body.code).toBe('InvalidSubnet.Conflict');
    expect((await consumer.del(`/v1/network/vpcs/${vpc.vpcId}`).expect(409)).body.code).toBe('DependencyViolation');
    expect((await wire.app.as(demoKeys.otherConsumer).del(`/v1/network/subnets/${subnet.subnetId}`).expect(404)).body.code).toBe(
      'InvalidSubnetID.NotFound',
    );
    // An endpoint request naming the subnet by id alone: another VPC's is refused naming the entry.
    const other = (await consumer.post('/v1/network/vpcs', { cidrBlock: '10.21.0.0/16' }).expect(201)).body.vpc;
    const refused = await consumer
      .post('/v1/consumer/endpoints', {
        serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-00000000000000000',
        vpcEndpointType: 'Interface',
        vpcId: other.vpcId,
        subnets: [{ subnetId: subnet.subnetId }],
      })
      .expect(400);
    expect(refused.body).toMatchObject({ code: 'InvalidParameterValue', field: 'subnets[0].subnetId' });
    const zones = (await consumer.get('/v1/network/availability-zones').expect(200)).body.availabilityZones;
    expect(zones[0]).toEqual({ zoneName: 'us-east-1a', zoneId: 'use1-az1' });
    await consumer.del(`/v1/network/subnets/${subnet.subnetId}`).expect(200);
    await consumer.del(`/v1/network/vpcs/${vpc.vpcId}`).expect(200);
  });
});

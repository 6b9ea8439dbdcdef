// The guide's walk-through over the EC2 Query API alone, with @aws-sdk/client-ec2: the provider creates and
// shares a service, the consumer builds its network inventory (VPC, subnets, security group) and requests an
// endpoint naming only subnet and group ids, the provider sees and accepts the connection, and configures a
// connection notification. endpoint-api, connection-broker and quota-guard run as separate applications on
// the real Postgres and Kafka; every answer of the inventory actions is checked against botocore's model.
import {
  AcceptVpcEndpointConnectionsCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  CreateVpcEndpointConnectionNotificationCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeAvailabilityZonesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVpcEndpointConnectionNotificationsCommand,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  ModifyVpcEndpointCommand,
  ModifyVpcEndpointServicePermissionsCommand,
} from '@aws-sdk/client-ec2';
import { checkAgainstModel } from '@privatelink/testing';

import { ec2Form, WIRE_KEYS, WireKey, wireTarget } from '../../endpoint-api/test/wire-support';
import { CONSUMER_ROOT, demoKeys, eventually, startWorld, ZONES } from './support';

const wire = wireTarget('ec2', () => startWorld('ec2-walkthrough'));
const { ec2 } = wire;
/** A subnet of the consumer's `vpc` in `zone`; answers its id. */
const consumerSubnet = async (vpc: string, cidr: string, zone: string) =>
  (await ec2('consumer').send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: cidr, AvailabilityZone: zone }))).Subnet!.SubnetId!;

describe('the walk-through with the EC2 Query API', () => {
  let serviceId: string;
  let serviceName: string;
  let vpcId: string;
  let subnetA: string;
  let subnetB: string;
  let groupId: string;
  let vpcEndpointId: string;

  it('provider: CreateVpcEndpointServiceConfiguration, then it becomes Available', async () => {
    const nlb = await wire.app.api.registerLb({ zones: [ZONES.a, ZONES.b] });
    const out = await ec2('provider').send(
      new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [nlb], AcceptanceRequired: true }),
    );
    serviceId = out.ServiceConfiguration!.ServiceId!;
    serviceName = out.ServiceConfiguration!.ServiceName!;
    await eventually(async () => {
      const d = await ec2('provider').send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }));
      expect(d.ServiceConfigurations![0].ServiceState).toBe('Available');
    }, 60_000);
    await ec2('provider').send(
      new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: serviceId, AddAllowedPrincipals: [CONSUMER_ROOT] }),
    );
  });

  it('consumer: the network inventory — a VPC with its default group, subnets in two zones, a group', async () => {
    const zones = await ec2('consumer').send(new DescribeAvailabilityZonesCommand({}));
    expect(zones.AvailabilityZones!.slice(0, 2)).toMatchObject([
      { ZoneName: 'us-east-1a', ZoneId: 'use1-az1', State: 'available' },
      { ZoneName: 'us-east-1b', ZoneId: 'use1-az2' },
    ]);
    const vpc = await ec2('consumer').send(
      new CreateVpcCommand({
        CidrBlock: '10.0.0.0/16',
        TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'consumer' }] }],
      }),
    );
    vpcId = vpc.Vpc!.VpcId!;
    expect(vpc.Vpc).toMatchObject({
      CidrBlock: '10.0.0.0/16',
      State: 'available',
      OwnerId: '444455556666',
      Tags: [{ Key: 'Name', Value: 'consumer' }],
    });
    subnetA = await consumerSubnet(vpcId, '10.0.1.0/24', 'us-east-1a');
    const b = await ec2('consumer').send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.2.0/24', AvailabilityZoneId: 'use1-az2' }),
    );
    subnetB = b.Subnet!.SubnetId!;
    expect(b.Subnet).toMatchObject({
      AvailabilityZone: 'us-east-1b',
      AvailabilityZoneId: 'use1-az2',
      VpcId: vpcId,
      AvailableIpAddressCount: 251,
    });
    groupId = (
      await ec2('consumer').send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: 'endpoints', Description: 'endpoint ENIs' }))
    ).GroupId!;
    const groups = await ec2('consumer').send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    expect(groups.SecurityGroups!.map((g) => g.GroupName).sort()).toEqual(['default', 'endpoints']);
    const subnets = await ec2('consumer').send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    expect(subnets.Subnets!.map((s) => s.AvailabilityZoneId).sort()).toEqual(['use1-az1', 'use1-az2']);
    // Rules of the inventory, with EC2's codes.
    await expect(
      ec2('consumer').send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.128/25', AvailabilityZone: 'us-east-1a' })),
    ).rejects.toMatchObject({
      name: 'InvalidSubnet.Conflict',
    });
    await expect(ec2('consumer').send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/8' }))).rejects.toMatchObject({
      name: 'InvalidVpc.Range',
    });
    await expect(ec2('consumer').send(new DeleteVpcCommand({ VpcId: vpcId }))).rejects.toMatchObject({ name: 'DependencyViolation' });
    const defaultGroup = groups.SecurityGroups!.find((g) => g.GroupName === 'default')!;
    await expect(ec2('consumer').send(new DeleteSecurityGroupCommand({ GroupId: defaultGroup.GroupId }))).rejects.toMatchObject({
      name: 'CannotDelete',
    });
    // Another account sees none of it.
    expect((await ec2('otherConsumer').send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs).toEqual([]);
  });

  it('consumer: DescribeVpcEndpointServices, then CreateVpcEndpoint with subnet and group ids only', async () => {
    const found = await ec2('consumer').send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [serviceName] }));
    expect(found.ServiceDetails!.map((s) => s.ServiceId)).toEqual([serviceId]);
    const created = await ec2('consumer').send(
      new CreateVpcEndpointCommand({
        VpcEndpointType: 'Interface',
        VpcId: vpcId,
        ServiceName: serviceName,
        SubnetIds: [subnetA, subnetB],
        SecurityGroupIds: [groupId],
        TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: [{ Key: 'app', Value: 'payments' }] }],
      }),
    );
    vpcEndpointId = created.VpcEndpoint!.VpcEndpointId!;
    expect(vpcEndpointId).toMatch(/^vpce-[0-9a-f]{17}$/);
  });

  it('a subnet of another VPC or of another account is refused with EC2’s code', async () => {
    const other = (await ec2('consumer').send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!.VpcId!;
    const request = (subnet: string, key: WireKey = 'consumer', vpc = other) =>
      ec2(key).send(
        new CreateVpcEndpointCommand({ VpcEndpointType: 'Interface', VpcId: vpc, ServiceName: serviceName, SubnetIds: [subnet] }),
      );
    await expect(request(subnetA)).rejects.toMatchObject({ name: 'InvalidParameterValue', message: expect.stringContaining('SubnetId.1') });
    await expect(request(subnetA, 'otherConsumer', vpcId)).rejects.toMatchObject({ name: 'InvalidSubnetID.NotFound' });
  });

  it('provider: DescribeVpcEndpointConnections shows the request pendingAcceptance; AcceptVpcEndpointConnections makes it available', async () => {
    await eventually(async () => {
      const d = await ec2('provider').send(
        new DescribeVpcEndpointConnectionsCommand({ Filters: [{ Name: 'service-id', Values: [serviceId] }] }),
      );
      expect(d.VpcEndpointConnections).toMatchObject([
        { VpcEndpointId: vpcEndpointId, VpcEndpointState: 'pendingAcceptance', VpcEndpointOwner: '444455556666' },
      ]);
    }, 60_000);
    // Without a filter: the connections of every service of the caller's.
    const all = await ec2('provider').send(new DescribeVpcEndpointConnectionsCommand({}));
    expect(all.VpcEndpointConnections!.map((c) => c.VpcEndpointId)).toContain(vpcEndpointId);
    const accepted = await ec2('provider').send(
      new AcceptVpcEndpointConnectionsCommand({ ServiceId: serviceId, VpcEndpointIds: [vpcEndpointId] }),
    );
    expect(accepted.Unsuccessful).toEqual([]);
    await eventually(async () => {
      const d = await ec2('consumer').send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [vpcEndpointId] }));
      expect(d.VpcEndpoints).toMatchObject([
        {
          VpcEndpointId: vpcEndpointId,
          State: 'available',
          VpcId: vpcId,
          Tags: [{ Key: 'app', Value: 'payments' }],
          Groups: [{ GroupId: groupId }],
        },
      ]);
      expect(d.VpcEndpoints![0].SubnetIds!.sort()).toEqual([subnetA, subnetB].sort());
    }, 60_000);
  });

  it('consumer: ModifyVpcEndpoint removes and adds subnets and security groups by id, within the guide’s rules', async () => {
    const modify = (input: Omit<ConstructorParameters<typeof ModifyVpcEndpointCommand>[0], 'VpcEndpointId'>, key: WireKey = 'consumer') =>
      ec2(key).send(new ModifyVpcEndpointCommand({ VpcEndpointId: vpcEndpointId, ...input }));
    const endpointNow = async () =>
      (await ec2('consumer').send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [vpcEndpointId] }))).VpcEndpoints![0];
    expect(await modify({ RemoveSubnetIds: [subnetB] })).toMatchObject({ Return: true });
    expect((await endpointNow()).SubnetIds).toEqual([subnetA]);
    // The subnet comes back by id alone: its zone (us-east-1b) from the inventory.
    expect(await modify({ AddSubnetIds: [subnetB] })).toMatchObject({ Return: true });
    const back = await endpointNow();
    expect(back.SubnetIds!.sort()).toEqual([subnetA, subnetB].sort());
    expect(back.DnsEntries!.map((d) => d.DnsName).some((n) => n!.includes('-us-east-1b.'))).toBe(true);

    // "one subnet per Availability Zone": a second subnet in us-east-1a.
    const secondInA = await consumerSubnet(vpcId, '10.0.3.0/24', 'us-east-1a');
    await expect(modify({ AddSubnetIds: [secondInA] })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('only one subnet per Availability Zone'),
    });
    // A zone the service does not offer (its load balancer is in us-east-1a and 1b).
    const inC = await consumerSubnet(vpcId, '10.0.4.0/24', 'us-east-1c');
    await expect(modify({ AddSubnetIds: [inC] })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('is not available in use1-az3'),
    });
    // Another VPC's subnet, an unknown one, another account's endpoint.
    const otherVpc = (await ec2('consumer').send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16' }))).Vpc!.VpcId!;
    const otherVpcSubnet = await consumerSubnet(otherVpc, '10.2.3.0/24', 'us-east-1c');
    await expect(modify({ AddSubnetIds: [otherVpcSubnet] })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining(`not in the endpoint's VPC ${vpcId}`),
    });
    await expect(modify({ AddSubnetIds: ['subnet-0123456789abcdef0'] })).rejects.toMatchObject({ name: 'InvalidSubnetID.NotFound' });
    await expect(modify({ AddSubnetIds: [subnetB] }, 'otherConsumer')).rejects.toMatchObject({ name: 'InvalidVpcEndpointId.NotFound' });
    await expect(modify({ AddSubnetIds: [subnetB] })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('already a subnet of the endpoint'),
    });
    await expect(modify({ RemoveSubnetIds: [subnetA, subnetB] })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('at least one subnet'),
    });
    await expect(modify({ RemoveSubnetIds: [inC] })).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(modify({ AddSubnetIds: [subnetB], RemoveSubnetIds: [subnetB] })).rejects.toMatchObject({
      name: 'InvalidParameterCombination',
    });
    expect((await endpointNow()).SubnetIds!.sort()).toEqual([subnetA, subnetB].sort());

    // Security groups: registered groups of the endpoint's VPC.
    const groups = await ec2('consumer').send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
    const defaultGroup = groups.SecurityGroups!.find((g) => g.GroupName === 'default')!.GroupId!;
    expect(await modify({ AddSecurityGroupIds: [defaultGroup] })).toMatchObject({ Return: true });
    expect((await endpointNow()).Groups!.map((g) => g.GroupId)).toEqual([groupId, defaultGroup]);
    expect(await modify({ RemoveSecurityGroupIds: [defaultGroup] })).toMatchObject({ Return: true });
    expect((await endpointNow()).Groups!.map((g) => g.GroupId)).toEqual([groupId]);
    const otherGroup = (
      await ec2('consumer').send(new CreateSecurityGroupCommand({ VpcId: otherVpc, GroupName: 'elsewhere', Description: 'other VPC' }))
    ).GroupId!;
    await expect(modify({ AddSecurityGroupIds: [otherGroup] })).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('AddSecurityGroupId.1'),
    });
    await expect(modify({ AddSecurityGroupIds: ['sg-0123456789abcdef0'] })).rejects.toMatchObject({ name: 'InvalidGroup.NotFound' });

    // The REST API takes the same change through the same route: a subnet by id alone.
    const consumerRest = () => wire.app.api.as(demoKeys.consumer);
    const path = `/v1/consumer/endpoints/${vpcEndpointId}`;
    expect(
      (
        await consumerRest()
          .patch(path, { removeSubnetIds: [subnetB] })
          .expect(200)
      ).body.vpcEndpoint.subnetIds,
    ).toEqual([subnetA]);
    const restAdded = await consumerRest()
      .patch(path, { addSubnets: [{ subnetId: subnetB }] })
      .expect(200);
    expect(restAdded.body.vpcEndpoint.subnetIds.sort()).toEqual([subnetA, subnetB].sort());
    const restRefused = await consumerRest()
      .patch(path, { addSubnets: [{ subnetId: otherVpcSubnet }] })
      .expect(400);
    expect(restRefused.body).toMatchObject({ code: 'InvalidParameterValue', field: 'addSubnets[0].subnetId' });
    for (const id of [secondInA, inC, otherVpcSubnet]) await ec2('consumer').send(new DeleteSubnetCommand({ SubnetId: id }));
    await ec2('consumer').send(new DeleteSecurityGroupCommand({ GroupId: otherGroup }));
  });

  it('provider: CreateVpcEndpointConnectionNotification and DescribeVpcEndpointConnectionNotifications', async () => {
    const created = await ec2('provider').send(
      new CreateVpcEndpointConnectionNotificationCommand({
        ServiceId: serviceId,
        ConnectionNotificationArn: 'arn:aws:sns:us-east-1:111122223333:endpoint-events',
        ConnectionEvents: ['Connect', 'Accept', 'Reject', 'Delete'],
      }),
    );
    expect(created.ConnectionNotification).toMatchObject({
      ServiceId: serviceId,
      ConnectionNotificationType: 'Topic',
      ConnectionNotificationState: 'Enabled',
      ConnectionEvents: ['Connect', 'Accept', 'Reject', 'Delete'],
    });
    const listed = await ec2('provider').send(new DescribeVpcEndpointConnectionNotificationsCommand({}));
    expect(listed.ConnectionNotificationSet!.map((n) => n.ConnectionNotificationId)).toContain(
      created.ConnectionNotification!.ConnectionNotificationId,
    );
  });

  it('tags of services, endpoints and the inventory: CreateTags / DescribeTags', async () => {
    await ec2('provider').send(new CreateTagsCommand({ Resources: [serviceId], Tags: [{ Key: 'tier', Value: 'gold' }] }));
    const provider = await ec2('provider').send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [serviceId] }] }));
    expect(provider.Tags).toEqual([{ ResourceId: serviceId, ResourceType: 'vpc-endpoint-service', Key: 'tier', Value: 'gold' }]);
    await ec2('consumer').send(new CreateTagsCommand({ Resources: [subnetA, vpcEndpointId], Tags: [{ Key: 'team', Value: 'blue' }] }));
    const consumer = await ec2('consumer').send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['team'] }] }));
    expect(consumer.Tags!.map((t) => [t.ResourceId, t.ResourceType]).sort()).toEqual(
      [
        [subnetA, 'subnet'],
        [vpcEndpointId, 'vpc-endpoint'],
      ].sort(),
    );
  });

  it('the inventory’s answers are botocore-shaped; a subnet without endpoints is deleted', async () => {
    const consumer = { key: WIRE_KEYS.consumer };
    for (const [action, params] of [
      ['DescribeVpcs', { 'VpcId.1': vpcId }],
      ['DescribeSubnets', { 'Filter.1.Name': 'vpc-id', 'Filter.1.Value.1': vpcId }],
      ['DescribeSecurityGroups', { 'Filter.1.Name': 'vpc-id', 'Filter.1.Value.1': vpcId }],
      ['DescribeAvailabilityZones', {}],
      ['DescribeVpcEndpoints', { 'VpcEndpointId.1': vpcEndpointId }],
      ['DescribeTags', {}],
      ['CreateSubnet', { VpcId: vpcId, CidrBlock: '10.0.9.0/24', AvailabilityZone: 'us-east-1c' }],
    ] as const) {
      const res = await wire.post(ec2Form({ Action: action, ...params }), consumer);
      expect({ action, status: res.status }).toEqual({ action, status: 200 });
      const report = checkAgainstModel(wire.model, action, res.text);
      expect({ action, problems: report.problems }).toEqual({ action, problems: [] });
      if (action === 'CreateSubnet') {
        const id = /<subnetId>([^<]+)<\/subnetId>/.exec(res.text)![1];
        await ec2('consumer').send(new DeleteSubnetCommand({ SubnetId: id }));
        const left = await ec2('consumer').send(new DescribeSubnetsCommand({ SubnetIds: [id] }));
        expect(left.Subnets).toEqual([]);
      }
    }
  });
});

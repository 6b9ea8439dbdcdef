// The ELBv2 subset (query protocol, Version 2015-12-01, signed for elasticloadbalancing) with the real
// @aws-sdk/client-elastic-load-balancing-v2: load balancers registered from the provider's own subnets, usable
// by an endpoint service created over the EC2 API; every raw answer checked against botocore's ELBv2 model.
import {
  AddTagsCommand,
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
  RemoveTagsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateSubnetCommand, CreateVpcCommand, CreateVpcEndpointServiceConfigurationCommand } from '@aws-sdk/client-ec2';
import { checkAgainstModel, parseWireError } from '@privatelink/testing';
import { startApi } from './support';
import { WIRE_KEYS, WireKey, wireTarget } from './wire-support';

const wire = wireTarget('elbv2', () => startApi('elbv2-wire'));
const { ec2 } = wire;
const elb = (key: WireKey) =>
  new ElasticLoadBalancingV2Client({ endpoint: wire.endpoint, region: 'us-east-1', credentials: WIRE_KEYS[key], maxAttempts: 1 });
const elbForm = (params: Record<string, string>) => new URLSearchParams({ Version: '2015-12-01', ...params }).toString();

describe('ELBv2 with @aws-sdk/client-elastic-load-balancing-v2', () => {
  let subnets: string[];
  let arn: string;

  beforeAll(async () => {
    const provider = ec2('provider');
    const vpc = (await provider.send(new CreateVpcCommand({ CidrBlock: '172.16.0.0/16' }))).Vpc!.VpcId!;
    subnets = [];
    for (const [cidr, zone] of [
      ['172.16.1.0/24', 'us-east-1a'],
      ['172.16.2.0/24', 'us-east-1b'],
    ]) {
      subnets.push(
        (await provider.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: cidr, AvailabilityZone: zone }))).Subnet!.SubnetId!,
      );
    }
  });

  it('CreateLoadBalancer registers a Network Load Balancer in the subnets’ zones; an endpoint service uses it', async () => {
    const out = await elb('provider').send(
      new CreateLoadBalancerCommand({
        Name: 'web-nlb',
        Type: 'network',
        Scheme: 'internal',
        Subnets: subnets,
        Tags: [{ Key: 'team', Value: 'web' }],
      }),
    );
    const lb = out.LoadBalancers![0];
    arn = lb.LoadBalancerArn!;
    expect(arn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer\/net\/web-nlb\/[0-9a-f]{16}$/);
    expect(lb).toMatchObject({ LoadBalancerName: 'web-nlb', Type: 'network', State: { Code: 'active' } });
    expect(lb.AvailabilityZones!.map((z) => [z.ZoneName, z.SubnetId])).toEqual([
      ['us-east-1a', subnets[0]],
      ['us-east-1b', subnets[1]],
    ]);
    // The same request again is the same load balancer (ELBv2's idempotency); another type under the name is not.
    const again = await elb('provider').send(new CreateLoadBalancerCommand({ Name: 'web-nlb', Type: 'network', Subnets: subnets }));
    expect(again.LoadBalancers![0].LoadBalancerArn).toBe(arn);
    await expect(
      elb('provider').send(new CreateLoadBalancerCommand({ Name: 'web-nlb', Type: 'gateway', Subnets: [subnets[0]] })),
    ).rejects.toMatchObject({
      // ELBv2's code DuplicateLoadBalancerName, which the SDK raises as its modelled exception.
      name: 'DuplicateLoadBalancerNameException',
    });
    const service = await ec2('provider').send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [arn] }));
    expect(service.ServiceConfiguration!.AvailabilityZones).toEqual(['us-east-1a', 'us-east-1b']);
  });

  it('DescribeLoadBalancers by name and ARN; DescribeTags, AddTags, RemoveTags', async () => {
    const byName = await elb('provider').send(new DescribeLoadBalancersCommand({ Names: ['web-nlb'] }));
    expect(byName.LoadBalancers!.map((l) => l.LoadBalancerArn)).toEqual([arn]);
    const byArn = await elb('provider').send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }));
    expect(byArn.LoadBalancers![0].LoadBalancerName).toBe('web-nlb');
    await elb('provider').send(new AddTagsCommand({ ResourceArns: [arn], Tags: [{ Key: 'tier', Value: 'gold' }] }));
    await elb('provider').send(new RemoveTagsCommand({ ResourceArns: [arn], TagKeys: ['team'] }));
    const tags = await elb('provider').send(new DescribeTagsCommand({ ResourceArns: [arn] }));
    expect(tags.TagDescriptions).toEqual([{ ResourceArn: arn, Tags: [{ Key: 'tier', Value: 'gold' }] }]);
    // Another provider sees nothing of it.
    await expect(elb('otherProvider').send(new DescribeLoadBalancersCommand({ Names: ['web-nlb'] }))).rejects.toMatchObject({
      name: 'LoadBalancerNotFoundException',
    });
  });

  it('errors: an application load balancer, a subnet of another account, a load balancer in use', async () => {
    await expect(elb('provider').send(new CreateLoadBalancerCommand({ Name: 'alb', Subnets: subnets }))).rejects.toMatchObject({
      name: 'InvalidConfigurationRequestException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      elb('otherProvider').send(new CreateLoadBalancerCommand({ Name: 'x', Type: 'network', Subnets: subnets })),
    ).rejects.toMatchObject({
      name: 'InvalidSubnetID.NotFound',
    });
    await expect(elb('provider').send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn }))).rejects.toMatchObject({
      name: 'ResourceInUseException',
    });
    await expect(elb('consumer').send(new DescribeLoadBalancersCommand({}))).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('answers are botocore-shaped, errors in the query protocol’s ErrorResponse', async () => {
    const key = { key: WIRE_KEYS.provider, service: 'elasticloadbalancing' };
    const created = await wire.post(
      elbForm({ Action: 'CreateLoadBalancer', Name: 'gw-1', Type: 'gateway', 'Subnets.member.1': subnets[0] }),
      key,
    );
    expect(created.status).toBe(200);
    expect(checkAgainstModel(wire.model, 'CreateLoadBalancer', created.text).problems).toEqual([]);
    const gw = /<LoadBalancerArn>([^<]+)<\/LoadBalancerArn>/.exec(created.text)![1];
    for (const [action, params] of [
      ['DescribeLoadBalancers', {}],
      ['AddTags', { 'ResourceArns.member.1': gw, 'Tags.member.1.Key': 'k', 'Tags.member.1.Value': 'v' }],
      ['DescribeTags', { 'ResourceArns.member.1': gw }],
      ['RemoveTags', { 'ResourceArns.member.1': gw, 'TagKeys.member.1': 'k' }],
      ['DeleteLoadBalancer', { LoadBalancerArn: gw }],
    ] as const) {
      const res = await wire.post(elbForm({ Action: action, ...params }), key);
      expect({ action, status: res.status }).toEqual({ action, status: 200 });
      expect({ action, problems: checkAgainstModel(wire.model, action, res.text).problems }).toEqual({ action, problems: [] });
    }
    const missing = await wire.post(elbForm({ Action: 'DeleteLoadBalancer' }), key);
    expect(missing.status).toBe(400);
    expect(parseWireError(missing.text)).toMatchObject({ type: 'Sender', code: 'ValidationError' });
    // Signed for ec2 but asking ELBv2: the credential scope's service does not match.
    const wrongService = await wire.post(elbForm({ Action: 'DescribeLoadBalancers' }), { key: WIRE_KEYS.provider });
    expect(wrongService.status).toBe(403);
    expect(parseWireError(wrongService.text)).toMatchObject({ code: 'SignatureDoesNotMatch', type: 'Sender' });
  });
});

// The guide's commands with the real aws CLI (PyPI awscli, pinned in deploy/moto/requirements.txt and installed
// by scripts/infra/moto.sh when missing) against the embedded default as `npm start` runs it, with the demo
// principals' printed credentials and --endpoint-url: the JSON the CLI prints is checked at each step.
import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { awsCli, eventually } from '@privatelink/testing';
import { freePort, Run, startEmbedded, status } from './embedded-process';

const PROVIDER = { accessKeyId: 'AKIADEMOPROVIDER0001', secretAccessKey: 'demo-provider-secret-access-key-0001' };
const CONSUMER = { accessKeyId: 'AKIADEMOCONSUMER0001', secretAccessKey: 'demo-consumer-secret-access-key-0001' };

let run: Run;
let folder: string;
let endpoint: string;
const aws = (credentials: typeof PROVIDER, args: string[]) => awsCli({ endpoint, region: 'us-east-1', credentials }, args) as Promise<any>;
const provider = (...args: string[]) => aws(PROVIDER, args);
const consumer = (...args: string[]) => aws(CONSUMER, args);

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'privatelink-cli-'));
  const [httpPort, pgPort] = [await freePort(), await freePort()];
  run = startEmbedded({
    PRIVATELINK_HTTP_PORT: String(httpPort),
    PRIVATELINK_EMBEDDED_PG_PORT: String(pgPort),
    PRIVATELINK_DATA_DIR: join(folder, 'data'),
    PRIVATELINK_LOG_LEVEL: 'warn',
  });
  endpoint = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + 240_000;
  while ((await status(`${endpoint}/health/ready`)) !== 200) {
    if (run.child.exitCode !== null) throw new Error(`the embedded default exited (${run.child.exitCode}):\n${run.stderr()}`);
    if (Date.now() > deadline) throw new Error(`not ready within 240 s:\n${run.stdout().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}, 300_000);

afterAll(async () => {
  if (run?.child.exitCode === null) {
    run.child.kill('SIGTERM');
    await Promise.race([run.exited, new Promise((r) => setTimeout(r, 60_000))]);
    if (run.child.exitCode === null) run.child.kill('SIGKILL');
  }
  try {
    rmSync(dirname(readlinkSync(join(folder, 'data', 'postgres'))), { recursive: true, force: true });
  } catch {
    // the database files were inside the data folder
  }
  rmSync(folder, { recursive: true, force: true });
}, 120_000);

describe('the guide’s walk-through with the aws CLI against `npm start`', () => {
  it('npm start prints the demo AWS credentials', () => {
    expect(run.stdout()).toContain(`AWS_ACCESS_KEY_ID=${PROVIDER.accessKeyId} AWS_SECRET_ACCESS_KEY=${PROVIDER.secretAccessKey}`);
    expect(run.stdout()).toContain(`AWS_ACCESS_KEY_ID=${CONSUMER.accessKeyId} AWS_SECRET_ACCESS_KEY=${CONSUMER.secretAccessKey}`);
  });

  it('create the service, share it, request an endpoint, accept it, notify, verify the private DNS name', async () => {
    // The provider's network and load balancer (ELBv2), so nothing but the CLI is used.
    const pvpc = (await provider('ec2', 'create-vpc', '--cidr-block', '10.10.0.0/16')).Vpc.VpcId;
    const ps1 = (
      await provider('ec2', 'create-subnet', '--vpc-id', pvpc, '--cidr-block', '10.10.1.0/24', '--availability-zone', 'us-east-1a')
    ).Subnet.SubnetId;
    const ps2 = (
      await provider('ec2', 'create-subnet', '--vpc-id', pvpc, '--cidr-block', '10.10.2.0/24', '--availability-zone-id', 'use1-az2')
    ).Subnet.SubnetId;
    const lb = await provider(
      'elbv2',
      'create-load-balancer',
      '--name',
      'nlb-vpce',
      '--type',
      'network',
      '--scheme',
      'internal',
      '--subnets',
      ps1,
      ps2,
    );
    const lbArn = lb.LoadBalancers[0].LoadBalancerArn;
    expect(lb.LoadBalancers[0].AvailabilityZones.map((z: any) => z.ZoneName)).toEqual(['us-east-1a', 'us-east-1b']);

    const created = await provider(
      'ec2',
      'create-vpc-endpoint-service-configuration',
      '--network-load-balancer-arns',
      lbArn,
      '--acceptance-required',
    );
    const serviceId = created.ServiceConfiguration.ServiceId;
    expect(created.ServiceConfiguration).toMatchObject({
      AcceptanceRequired: true,
      AvailabilityZones: ['us-east-1a', 'us-east-1b'],
      ServiceType: [{ ServiceType: 'Interface' }],
    });
    await eventually(async () => {
      const d = await provider('ec2', 'describe-vpc-endpoint-service-configurations', '--service-ids', serviceId);
      expect(d.ServiceConfigurations[0].ServiceState).toBe('Available');
    }, 60_000);
    const perms = await provider(
      'ec2',
      'modify-vpc-endpoint-service-permissions',
      '--service-id',
      serviceId,
      '--add-allowed-principals',
      'arn:aws:iam::444455556666:root',
    );
    expect(perms).toMatchObject({
      ReturnValue: true,
      AddedPrincipals: [{ Principal: 'arn:aws:iam::444455556666:root', PrincipalType: 'Account' }],
    });

    // The consumer's side: its VPC, a subnet per zone, then the endpoint by subnet ids.
    const cvpc = (await consumer('ec2', 'create-vpc', '--cidr-block', '10.0.0.0/16')).Vpc.VpcId;
    const cs1 = (
      await consumer('ec2', 'create-subnet', '--vpc-id', cvpc, '--cidr-block', '10.0.1.0/24', '--availability-zone', 'us-east-1a')
    ).Subnet.SubnetId;
    const cs2 = (
      await consumer('ec2', 'create-subnet', '--vpc-id', cvpc, '--cidr-block', '10.0.2.0/24', '--availability-zone', 'us-east-1b')
    ).Subnet.SubnetId;
    const serviceName = `com.amazonaws.vpce.us-east-1.${serviceId}`;
    const endpointCreated = await consumer(
      'ec2',
      'create-vpc-endpoint',
      '--vpc-endpoint-type',
      'Interface',
      '--vpc-id',
      cvpc,
      '--service-name',
      serviceName,
      '--subnet-ids',
      cs1,
      cs2,
    );
    const vpcEndpointId = endpointCreated.VpcEndpoint.VpcEndpointId;
    expect(endpointCreated.VpcEndpoint).toMatchObject({ VpcId: cvpc, ServiceName: serviceName, SubnetIds: [cs1, cs2] });

    await eventually(async () => {
      const c = await provider('ec2', 'describe-vpc-endpoint-connections', '--filters', `Name=service-id,Values=${serviceId}`);
      expect(c.VpcEndpointConnections).toMatchObject([
        { VpcEndpointId: vpcEndpointId, VpcEndpointState: 'pendingAcceptance', VpcEndpointOwner: '444455556666' },
      ]);
    }, 60_000);
    expect(
      await provider('ec2', 'accept-vpc-endpoint-connections', '--service-id', serviceId, '--vpc-endpoint-ids', vpcEndpointId),
    ).toEqual({ Unsuccessful: [] });
    await eventually(async () => {
      const e = await consumer('ec2', 'describe-vpc-endpoints', '--vpc-endpoint-ids', vpcEndpointId);
      expect(e.VpcEndpoints[0].State).toBe('available');
    }, 60_000);

    const notification = await provider(
      'ec2',
      'create-vpc-endpoint-connection-notification',
      '--service-id',
      serviceId,
      '--connection-notification-arn',
      'arn:aws:sns:us-east-1:111122223333:VpceNotification',
      '--connection-events',
      'Connect',
      'Accept',
      'Reject',
      'Delete',
    );
    expect(notification.ConnectionNotification).toMatchObject({
      ServiceId: serviceId,
      ConnectionNotificationState: 'Enabled',
      ConnectionEvents: ['Connect', 'Accept', 'Reject', 'Delete'],
    });

    // A private DNS name, then its verification started.
    await provider('ec2', 'modify-vpc-endpoint-service-configuration', '--service-id', serviceId, '--private-dns-name', 'api.example.test');
    const config = await provider('ec2', 'describe-vpc-endpoint-service-configurations', '--service-ids', serviceId);
    expect(config.ServiceConfigurations[0].PrivateDnsNameConfiguration).toMatchObject({
      State: 'pendingVerification',
      Type: 'TXT',
      Name: expect.stringMatching(/\.api\.example\.test$/),
    });
    expect(await provider('ec2', 'start-vpc-endpoint-service-private-dns-verification', '--service-id', serviceId)).toEqual({
      ReturnValue: true,
    });
  }, 600_000);

  it('the CLI shows EC2’s errors: an unknown service, a consumer creating a service, a dry run', async () => {
    await expect(
      provider('ec2', 'describe-vpc-endpoint-service-permissions', '--service-id', 'vpce-svc-00000000000000000'),
    ).rejects.toThrow(/InvalidVpcEndpointServiceId\.NotFound/);
    await expect(
      consumer(
        'ec2',
        'create-vpc-endpoint-service-configuration',
        '--network-load-balancer-arns',
        'arn:aws:elasticloadbalancing:us-east-1:444455556666:loadbalancer/net/x/0000000000000000',
      ),
    ).rejects.toThrow(/UnauthorizedOperation/);
    await expect(provider('ec2', 'create-vpc-endpoint-service-configuration', '--dry-run')).rejects.toThrow(/DryRunOperation/);
  }, 120_000);
});

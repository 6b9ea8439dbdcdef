import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointServiceConfigurationCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  EC2Client,
  ModifyVpcEndpointServicePermissionsCommand,
  paginateDescribeVpcEndpointServiceConfigurations,
} from '@aws-sdk/client-ec2';
import { CreateLoadBalancerCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { freePort } from './workflow/processes';
import { REPO, embeddedStack } from './workflow/stack';

/**
 * The EC2 Query API side by side with moto (issue 12, item 7): the same @aws-sdk/client-ec2 client and the
 * same calls against moto's server (its EC2 backend, state in memory, a server of the bench's own so the
 * describe-all sees exactly these services) and against the embedded default (`npm start`: every write
 * committed to its PostgreSQL). One client, one call at a time.
 */
export interface Ec2VsMotoOptions {
  services: number;
  describeAllRounds: number;
  say: (m: string) => void;
}

export const CALLS = ['create', 'describeOne', 'addPrincipal', 'describeAll'] as const;
type Call = (typeof CALLS)[number];
export interface Percentiles {
  n: number;
  p50Ms: number;
  p99Ms: number;
}
export interface Ec2VsMotoResult {
  services: number;
  describeAllRounds: number;
  system: Record<Call, Percentiles>;
  moto: Record<Call, Percentiles>;
  /** Services the describe-all saw (each side), and the pages it took. */
  describeAllSeen: { system: number; moto: number; systemPages: number; motoPages: number };
  /** Describe-one calls right after the create that did not see it yet. */
  describeOneMisses: { system: number; moto: number };
}

/** The issue's targets: p50 no slower than moto's (describe-all at least 3× faster). */
export const TARGET_SPEEDUP: Record<Call, number> = { create: 1, describeOne: 1, addPrincipal: 1, describeAll: 3 };

const PROVIDER = { accessKeyId: 'AKIADEMOPROVIDER0001', secretAccessKey: 'demo-provider-secret-access-key-0001' };

export async function benchEc2VsMoto(o: Ec2VsMotoOptions): Promise<Ec2VsMotoResult> {
  const stamp = Date.now().toString(36);
  const logDir = join(REPO, 'bench', 'results', `ec2-vs-moto-logs-${stamp}`);
  mkdirSync(logDir, { recursive: true });
  const moto = await startMoto(logDir, o.say);
  const dataDir = join(tmpdir(), `privatelink-bench-ec2-${stamp}`);
  const { processes } = await embeddedStack({
    dataDir,
    logDir,
    // The default quota is 20 services per account; the describe-all needs `services` of them.
    env: { PRIVATELINK_QUOTA_SERVICES_PER_ACCOUNT: String(o.services + 100) },
    say: o.say,
  });
  try {
    await processes.start();
    const system = await drive('system', processes.url('embedded'), PROVIDER, o);
    const motoRun = await drive('moto', moto.endpoint, { accessKeyId: 'test', secretAccessKey: 'test' }, o);
    return {
      services: o.services,
      describeAllRounds: o.describeAllRounds,
      system: system.figures,
      moto: motoRun.figures,
      describeAllSeen: { system: system.seen, moto: motoRun.seen, systemPages: system.pages, motoPages: motoRun.pages },
      describeOneMisses: { system: system.misses, moto: motoRun.misses },
    };
  } finally {
    await processes.stop();
    moto.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function drive(
  label: string,
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  o: Ec2VsMotoOptions,
): Promise<{ figures: Record<Call, Percentiles>; seen: number; pages: number; misses: number }> {
  const ec2 = new EC2Client({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const elb = new ElasticLoadBalancingV2Client({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  // The provider's load balancer, the same way on both: a VPC, a subnet in two zones, a Network Load Balancer.
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }))).Vpc!.VpcId!;
  const subnets: string[] = [];
  for (const [cidr, zone] of [
    ['10.20.1.0/24', 'us-east-1a'],
    ['10.20.2.0/24', 'us-east-1b'],
  ])
    subnets.push((await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: cidr, AvailabilityZone: zone }))).Subnet!.SubnetId!);
  const nlb = (await elb.send(new CreateLoadBalancerCommand({ Name: `bench-${label}`, Type: 'network', Subnets: subnets })))
    .LoadBalancers![0].LoadBalancerArn!;

  const times: Record<Call, number[]> = { create: [], describeOne: [], addPrincipal: [], describeAll: [] };
  const timed = async <T>(call: Call, op: () => Promise<T>): Promise<T> => {
    const t0 = process.hrtime.bigint();
    const out = await op();
    times[call].push(Number(process.hrtime.bigint() - t0) / 1e6);
    return out;
  };
  let misses = 0;
  o.say(`ec2-vs-moto, ${label}: ${o.services} × (create, describe one, add principal) at ${endpoint}`);
  for (let i = 0; i < o.services; i++) {
    const created = await timed('create', () =>
      ec2.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [nlb], AcceptanceRequired: true })),
    );
    const serviceId = created.ServiceConfiguration!.ServiceId!;
    const one = await timed('describeOne', () =>
      ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] })),
    );
    // A describe that does not see the write yet is counted (and waited out, untimed): read-your-writes is bounded.
    if (one.ServiceConfigurations?.[0]?.ServiceId !== serviceId) {
      misses++;
      const deadline = Date.now() + 30_000;
      while (
        (await ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }))).ServiceConfigurations?.length !==
        1
      ) {
        if (Date.now() > deadline) throw new Error(`${label}: ${serviceId} not visible after 30 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await timed('addPrincipal', () =>
      ec2.send(
        new ModifyVpcEndpointServicePermissionsCommand({
          ServiceId: serviceId,
          AddAllowedPrincipals: [`arn:aws:iam::4444555566${String(i % 100).padStart(2, '0')}:root`],
        }),
      ),
    );
    if ((i + 1) % 50 === 0) o.say(`  ${label}: ${i + 1}/${o.services}`);
  }
  o.say(`ec2-vs-moto, ${label}: describe all ${o.services} with the SDK paginator, ${o.describeAllRounds} rounds`);
  let seen = 0;
  let pages = 0;
  for (let r = 0; r < o.describeAllRounds; r++) {
    await timed('describeAll', async () => {
      seen = 0;
      pages = 0;
      for await (const page of paginateDescribeVpcEndpointServiceConfigurations({ client: ec2 }, {})) {
        pages++;
        seen += page.ServiceConfigurations?.length ?? 0;
      }
    });
    if ((r + 1) % 10 === 0) o.say(`  ${label}: describe-all ${r + 1}/${o.describeAllRounds} (${seen} services, ${pages} pages)`);
  }
  ec2.destroy();
  elb.destroy();
  const figures = Object.fromEntries(CALLS.map((c) => [c, percentiles(times[c])])) as Record<Call, Percentiles>;
  return { figures, seen, pages, misses };
}

/** moto's server from the tests' venv (scripts/infra/moto.sh venv), on a port of its own. */
async function startMoto(logDir: string, say: (m: string) => void): Promise<{ child: ChildProcess; endpoint: string }> {
  const venv = execFileSync('bash', [join(REPO, 'scripts/infra/moto.sh'), 'venv'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()!;
  const port = await freePort();
  const log = openSync(join(logDir, 'moto.log'), 'a');
  const child = spawn(join(venv, 'bin/python'), [join(venv, 'bin/moto_server'), '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', log, log],
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await (await fetch(`${endpoint}/moto-api/`)).arrayBuffer();
      break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`moto did not start; log in ${logDir}/moto.log`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  say(`moto_server ready on ${endpoint}`);
  return { child, endpoint };
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN) * 100) / 100;
  return { n: values.length, p50Ms: at(0.5), p99Ms: at(0.99) };
}

/** The table's rows: each call's p50 / p99 on both, and moto's p50 over ours beside the target. */
export function ec2VsMotoRows(r: Ec2VsMotoResult): Array<[string, string, string]> {
  const names: Record<Call, string> = {
    create: 'CreateVpcEndpointServiceConfiguration',
    describeOne: 'DescribeVpcEndpointServiceConfigurations (one)',
    addPrincipal: 'ModifyVpcEndpointServicePermissions (add principal)',
    describeAll: `describe all ${r.services} (paginator)`,
  };
  return CALLS.map((c) => {
    const s = r.system[c];
    const m = r.moto[c];
    const speedup = Math.round((m.p50Ms / s.p50Ms) * 100) / 100;
    const ok = speedup >= TARGET_SPEEDUP[c] ? 'meets' : 'MISSES';
    return [
      `EC2 vs moto: ${names[c]}`,
      `p50 ${s.p50Ms} ms`,
      `p99 ${s.p99Ms} ms${c === 'describeOne' ? ` (${r.describeOneMisses.system} not yet visible)` : ''}${c === 'describeAll' ? ` (${r.describeAllSeen.systemPages} pages; moto ${r.describeAllSeen.motoPages})` : ''}; moto p50 ${m.p50Ms} ms, p99 ${m.p99Ms} ms; moto/this ${speedup}× (target ≥ ${TARGET_SPEEDUP[c]}×: ${ok}); n=${s.n}`,
    ];
  });
}

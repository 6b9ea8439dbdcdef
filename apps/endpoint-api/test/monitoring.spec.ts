import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { eventTopicFor, streamFamilies } from '@privatelink/contracts';
import { PrometheusInstance, checkPrometheusRules, repoRoot, startPrometheus } from '@privatelink/testing';
import { Stack, call, demoKeys, eventually, seedDemoWorld, startDistributedStack } from './console-support';

/**
 * The monitoring that ships in deploy/: a real Prometheus (Debian's package) scrapes the five services
 * running as separate applications on Kafka, loads deploy/prometheus/alerts.yml, and every dashboard panel
 * query and every alert expression is evaluated through its HTTP API. A query error, a rule Prometheus cannot
 * evaluate, or a metric a panel or rule names that the services do not expose fails the test.
 */
const SERVICES = ['endpoint-api', 'connection-broker', 'dns-verifier', 'notifier', 'quota-guard'];
const deployDir = join(repoRoot(), 'deploy');
const alertsFile = join(deployDir, 'prometheus', 'alerts.yml');

interface Panel {
  type: string;
  title: string;
  gridPos: { y: number };
  targets?: Array<{ expr: string }>;
}

const dashboard = JSON.parse(readFileSync(join(deployDir, 'grafana', 'privatelink-dashboard.json'), 'utf8')) as { panels: Panel[] };
const panelQueries = dashboard.panels
  .filter((p) => p.type !== 'row')
  .flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

/** The series names an expression reads: every privatelink_* name and `up`. */
function metricNames(expr: string): string[] {
  const names = new Set(expr.match(/\bprivatelink_[a-z0-9_]+\b/g) ?? []);
  if (/\bup\{/.test(expr)) names.add('up');
  return [...names];
}

/**
 * A query that has a result when the services exposed `name` in the last 5 minutes: one scrape that timed
 * out on a busy machine marks a target's series stale for a moment, which says nothing about the names.
 */
const exists = (name: string) => `count(last_over_time({__name__="${name}"}[5m]))`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

describe('Prometheus scrapes the services, and the dashboard and alert rules in deploy/ work against it', () => {
  let stack: Stack;
  let prometheus: PrometheusInstance;

  beforeAll(async () => {
    // Three services per provider account, so the test can be refused by the quota (a refusal to count).
    stack = await startDistributedStack('monitoring', { PRIVATELINK_QUOTA_SERVICES_PER_ACCOUNT: '3' });
    const base = stack.api.url;
    await seedDemoWorld(base);
    // A third service fits, a fourth is refused by endpoint-services-per-account.
    const lb = `arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/monitoring/${randomBytes(8).toString('hex')}`;
    await call(base, demoKeys.provider, 'POST', '/v1/provider/load-balancers', {
      loadBalancerArn: lb,
      availabilityZones: [{ zoneName: 'us-east-1a', zoneId: 'use1-az1' }],
    });
    let refused = 0;
    for (let i = 0; i < 3 && refused === 0; i++) {
      const res = await call(base, demoKeys.provider, 'POST', '/v1/provider/endpoint-services', { networkLoadBalancerArns: [lb] });
      if (res.status === 400 && res.body.code === 'LimitExceeded') refused += 1;
    }
    expect(refused).toBe(1);
    // A body that is not JSON: refused before routing, and counted.
    const bad = await fetch(`${base}/v1/provider/endpoint-services`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demoKeys.provider}`, 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(bad.status).toBe(400);
    // A message no consumer can decode (its stream names no family): dead-lettered after its attempts.
    await stack.api.transport.publish([
      {
        topic: eventTopicFor(streamFamilies.endpointService),
        key: 'poison',
        value: {
          kind: 'event',
          eventId: randomUUID(),
          streamId: 'no-such-family-poison',
          streamVersion: 1,
          position: '1',
          type: 'somethingUnknown',
          schemaVersion: 1,
          payload: {},
          metadata: { correlationId: 'monitoring-poison', causationId: null, principal: 'test', occurredAt: new Date().toISOString() },
        },
      },
    ]);
    const scrapeConfigs = stack.hosts
      .map(
        ({ service, host }) =>
          `  - job_name: ${service}\n    metrics_path: /metrics\n    static_configs: [{ targets: ['${new URL(host.url).host}'] }]`,
      )
      .join('\n');
    // Every 5 s, with a timeout as long: on a busy 2-core machine a scrape can take a few seconds.
    const config = `global:\n  scrape_interval: 5s\n  scrape_timeout: 5s\n  evaluation_interval: 5s\nrule_files:\n  - ${alertsFile}\nscrape_configs:\n${scrapeConfigs}\n`;
    prometheus = await startPrometheus(config, await freePort());
  }, 300_000);

  afterAll(async () => {
    await prometheus?.stop();
    await stack?.close();
  });

  it('promtool accepts the alert rules and the deploy configuration, which scrapes the five services', async () => {
    expect(await checkPrometheusRules(alertsFile)).toMatch(/SUCCESS: \d+ rules found/);
    const deployConfig = readFileSync(join(deployDir, 'prometheus', 'prometheus.yml'), 'utf8');
    expect([...deployConfig.matchAll(/job_name: ([a-z-]+)/g)].map((m) => m[1]).sort()).toEqual([...SERVICES].sort());
  });

  it('scrapes every service and finds it up and ready', async () => {
    await eventually(
      async () => {
        const up = await prometheus.query('up');
        expect(up.status).toBe('success');
        const byJob = Object.fromEntries(up.data!.result.map((r) => [r.metric.job, r.value[1]]));
        expect(byJob).toEqual(Object.fromEntries(SERVICES.map((s) => [s, '1'])));
        const ready = await prometheus.query('privatelink_ready');
        expect(ready.data!.result.map((r) => [r.metric.job, r.value[1]]).sort()).toEqual(SERVICES.map((s) => [s, '1']).sort());
      },
      100_000,
      1_000,
    );
  }, 150_000);

  it('shows what happened: a refusal by quota code, a permanent SNS failure, a dead letter, a request refused before routing, the waiting request’s age, each outbox and consumer group', async () => {
    const value = async (expr: string) => {
      const r = await prometheus.query(expr);
      expect(r.status).toBe('success');
      return r.data!.result;
    };
    await eventually(
      async () => {
        expect(await value('privatelink_quota_refusals_total{quota_code="endpoint-services-per-account"} >= 1')).toHaveLength(1);
        expect(await value('privatelink_sns_publishes_total{job="notifier",outcome="permanent"} >= 1')).toHaveLength(1);
        expect((await value('sum(privatelink_dead_letters_total) >= 1')).length).toBe(1);
        expect(await value('privatelink_http_request_duration_seconds_count{route="unmatched",status="400"} >= 1')).toHaveLength(1);
        expect(await value('privatelink_http_request_duration_seconds_bucket{le="10"}')).not.toHaveLength(0);
        expect(await value('privatelink_pending_acceptance_oldest_age_seconds > 0')).toHaveLength(1);
        expect((await value('privatelink_outbox_backlog')).map((r) => r.metric.service).sort()).toEqual([...SERVICES].sort());
        const groups = new Set((await value('privatelink_kafka_consumer_lag')).map((r) => r.metric.group.split('.')[0]));
        expect([...groups].sort()).toEqual([...SERVICES].sort());
        expect(await value('privatelink_connection_workflow_duration_seconds_count{outcome="pendingAcceptance"} >= 1')).toHaveLength(1);
        expect(await value('sum(privatelink_dns_query_duration_seconds_count) >= 1')).toHaveLength(1);
        expect(await value('privatelink_private_dns_verifications{state="pendingVerification"} >= 1')).toHaveLength(1);
      },
      120_000,
      1_000,
    );
  }, 150_000);

  it('has one row per concern, every panel under a row', () => {
    const rows = dashboard.panels.filter((p) => p.type === 'row');
    expect(rows.map((r) => r.title)).toEqual([
      'Services: up and ready',
      'HTTP',
      'Outbox',
      'Kafka',
      'Connection workflow',
      'Private DNS verification',
      'SNS notifications',
      'Quotas',
      'Event store and read models',
    ]);
    expect(dashboard.panels[0].type).toBe('row');
    expect(panelQueries.length).toBeGreaterThanOrEqual(rows.length);
  });

  it('evaluates every dashboard panel query without an error, and every metric a panel names exists', async () => {
    const missing: string[] = [];
    for (const { panel, expr } of panelQueries) {
      const answer = await prometheus.query(expr);
      expect({ panel, status: answer.status, error: answer.error }).toEqual({ panel, status: 'success', error: undefined });
      for (const name of metricNames(expr)) {
        const series = await prometheus.query(exists(name));
        if ((series.data?.result ?? []).length === 0) missing.push(`${panel}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  }, 120_000);

  it('loads every alert rule, evaluates each without an error, and every metric a rule names exists', async () => {
    const res = await fetch(`${prometheus.url}/api/v1/rules`);
    const body = (await res.json()) as {
      data: {
        groups: Array<{ file: string; rules: Array<{ name: string; query: string; health: string; lastError?: string; type: string }> }>;
      };
    };
    const rules = body.data.groups.flatMap((g) => g.rules);
    const declared = (readFileSync(alertsFile, 'utf8').match(/^\s*- alert: /gm) ?? []).length;
    expect(rules).toHaveLength(declared);
    expect(rules.every((r) => r.type === 'alerting')).toBe(true);
    // Prometheus evaluates the rules itself every 5 s; each must have run cleanly at least once.
    await eventually(
      async () => {
        const again = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as typeof body;
        for (const r of again.data.groups.flatMap((g) => g.rules))
          expect({ name: r.name, health: r.health, lastError: r.lastError ?? '' }).toEqual({ name: r.name, health: 'ok', lastError: '' });
      },
      60_000,
      1_000,
    );
    const missing: string[] = [];
    for (const rule of rules) {
      const answer = await prometheus.query(rule.query);
      expect({ rule: rule.name, status: answer.status, error: answer.error }).toEqual({
        rule: rule.name,
        status: 'success',
        error: undefined,
      });
      for (const name of metricNames(rule.query)) {
        const series = await prometheus.query(exists(name));
        if ((series.data?.result ?? []).length === 0) missing.push(`${rule.name}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  }, 150_000);
});

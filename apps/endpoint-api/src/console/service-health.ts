import { Metrics, PlatformConfig, ReadinessRegistry } from '@privatelink/platform';

/** The five services of the control plane, as the console lists them. */
export const CONTROL_PLANE_SERVICES = ['endpoint-api', 'connection-broker', 'dns-verifier', 'notifier', 'quota-guard'] as const;

export interface ServiceHealth {
  service: string;
  /** `this process`, the base URL asked, or null when the console does not know where the service runs. */
  source: string | null;
  ready: boolean | null;
  checks: Record<string, 'up' | 'down'>;
  outboxBacklog: number | null;
  relayLagSeconds: number | null;
  error?: string;
}

const REMOTE_TIMEOUT_MS = 2_000;

/**
 * Each service's readiness and outbox. A service hosted in this process (all five in the embedded run)
 * answers from the process's own readiness checks and gauges; another one from its `/health/ready` and
 * `/metrics` at the URL PRIVATELINK_CONSOLE_SERVICE_URLS names (the distributed run).
 */
export async function serviceHealth(readiness: ReadinessRegistry, metrics: Metrics, config: PlatformConfig): Promise<ServiceHealth[]> {
  const [local, outboxes] = await Promise.all([readiness.evaluate(), metrics.ops.outboxes()]);
  return Promise.all(
    CONTROL_PLANE_SERVICES.map(async (service): Promise<ServiceHealth> => {
      const checks = Object.fromEntries(Object.entries(local.checks).filter(([name]) => name.startsWith(`${service}:`)));
      if (Object.keys(checks).length > 0) {
        const outbox = outboxes[service] ?? null;
        return {
          service,
          source: 'this process',
          ready: Object.values(checks).every((c) => c === 'up'),
          checks,
          outboxBacklog: outbox?.backlog ?? null,
          relayLagSeconds: outbox?.lagSeconds ?? null,
        };
      }
      const url = config.console.serviceUrls[service];
      if (!url)
        return {
          service,
          source: null,
          ready: null,
          checks: {},
          outboxBacklog: null,
          relayLagSeconds: null,
          error: 'not in this process and not named in PRIVATELINK_CONSOLE_SERVICE_URLS',
        };
      return remoteHealth(service, url);
    }),
  );
}

async function remoteHealth(service: string, url: string): Promise<ServiceHealth> {
  const out: ServiceHealth = { service, source: url, ready: null, checks: {}, outboxBacklog: null, relayLagSeconds: null };
  try {
    const ready = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(REMOTE_TIMEOUT_MS) });
    const body = (await ready.json().catch(() => ({}))) as { checks?: Record<string, 'up' | 'down'> };
    out.ready = ready.status === 200;
    out.checks = body.checks ?? {};
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(REMOTE_TIMEOUT_MS) })).text();
    out.outboxBacklog = gaugeValue(text, 'privatelink_outbox_backlog', service);
    out.relayLagSeconds = gaugeValue(text, 'privatelink_outbox_relay_lag_seconds', service);
  } catch (error) {
    out.ready = out.ready ?? false;
    out.error = `${url} did not answer: ${(error as Error).message}`;
  }
  return out;
}

/** One sample of a gauge with label service="…" from the Prometheus text format. */
export function gaugeValue(text: string, metric: string, service: string): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    const match = /^[a-z_]+\{([^}]*)\}\s+(\S+)/.exec(line);
    if (match && match[1].split(',').includes(`service="${service}"`)) return Number(match[2]);
  }
  return null;
}

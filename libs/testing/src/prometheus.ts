// A real Prometheus for monitoring tests: Debian's package through scripts/infra/prometheus.sh, one
// instance per caller with its own configuration, port and data folder (stopped by the caller).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { infraScript, repoRoot, run } from './infra';

export interface PrometheusInstance {
  url: string;
  dir: string;
  /** A PromQL instant query through the HTTP API: the parsed answer (status, data or error). */
  query(expr: string): Promise<{
    status: string;
    data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    errorType?: string;
    error?: string;
  }>;
  stop(): Promise<void>;
}

/** Starts Prometheus with `config` (YAML text; rule files given by absolute path) on `port`. */
export async function startPrometheus(config: string, port: number): Promise<PrometheusInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'privatelink-prometheus-'));
  const file = join(dir, 'prometheus.yml');
  writeFileSync(file, config);
  const url = await infraScript('prometheus', 'start', file, String(port), dir);
  return {
    url,
    dir,
    query: async (expr) => {
      const res = await fetch(`${url}/api/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: expr }),
      });
      return (await res.json()) as never;
    },
    stop: async () => {
      await infraScript('prometheus', 'stop', dir);
    },
  };
}

/** `promtool check rules FILE...`: resolves with its output, rejects with it when a rule file is invalid. */
export async function checkPrometheusRules(...files: string[]): Promise<string> {
  const { stdout, stderr } = await run('bash', [join(repoRoot(), 'scripts', 'infra', 'prometheus.sh'), 'check-rules', ...files]);
  return `${stdout}${stderr}`;
}

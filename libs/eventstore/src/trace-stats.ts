/**
 * Profiling aid for the benchmark (PRIVATELINK_TRACE_STATS=1, off otherwise): named durations (relay rounds,
 * a message's wait from its produce time to its handler, the handler's time) summed per process and written
 * to stderr every 10 s as one `TRACE <service> {...}` line. Costs nothing when off.
 */
const enabled = process.env.PRIVATELINK_TRACE_STATS === '1';
const sums = new Map<string, { n: number; total: number; max: number; values: number[] }>();
let timer: NodeJS.Timeout | undefined;
if (enabled) {
  // The event loop's delay, sampled: how long a ready callback (a query's answer, a fetch) waits to run.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const h = (require('node:perf_hooks') as typeof import('node:perf_hooks')).monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  setInterval(() => {
    traceStat('loop.delay.p50', h.percentile(50) / 1e6);
    traceStat('loop.delay.p99', h.percentile(99) / 1e6);
    h.reset();
  }, 1_000).unref();
}
export function traceStat(name: string, ms: number): void {
  if (!enabled) return;
  const s = sums.get(name) ?? { n: 0, total: 0, max: 0, values: [] };
  s.n++;
  s.total += ms;
  s.max = Math.max(s.max, ms);
  s.values.push(ms);
  sums.set(name, s);
  timer ??= setInterval(() => {
    const out: Record<string, string> = {};
    for (const [k, v] of [...sums].sort()) {
      v.values.sort((a, b) => a - b);
      out[k] =
        `n=${v.n} avg=${(v.total / v.n).toFixed(1)} p50=${v.values[Math.floor(v.n / 2)].toFixed(1)} p90=${v.values[Math.floor(v.n * 0.9)].toFixed(1)} max=${v.max.toFixed(0)}`;
    }
    sums.clear();
    process.stderr.write(`TRACE ${process.argv[1]?.split('/apps/')[1]?.split('/')[0] ?? ''} ${JSON.stringify(out)}\n`);
  }, 10_000).unref();
}

/** Samples a pg pool every 50 ms: callers waiting for a connection, connections in use. */
export function tracePool(pool: { totalCount: number; idleCount: number; waitingCount: number } | undefined): void {
  if (!enabled || !pool) return;
  setInterval(() => {
    traceStat('pool.waiting', pool.waitingCount);
    traceStat('pool.busy', pool.totalCount - pool.idleCount);
  }, 50).unref();
}

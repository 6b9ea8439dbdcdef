import 'reflect-metadata';
import { createLogger, loadConfigOrExit, Metrics, ReadinessRegistry } from '@privatelink/platform';
import { InProcessTransport } from '@privatelink/messaging';
import { rebuildProjection } from '@privatelink/projections';
import { EndpointApiCore } from './endpoint-api.core';

/**
 * `npm run rebuild-projection -- <name>`: replays endpoint-api's event store into a fresh copy of a read
 * model and swaps it in; the running service keeps serving and applying meanwhile.
 */
async function main(): Promise<void> {
  const name = process.argv[2];
  const config = loadConfigOrExit({ PRIVATELINK_TRANSPORT: 'in-process', ...process.env });
  const logger = createLogger(config.logLevel, 'rebuild');
  const core = await EndpointApiCore.open({
    config,
    transport: new InProcessTransport(logger),
    metrics: new Metrics(),
    readiness: new ReadinessRegistry(),
    logger,
  });
  const projections = [core.loadBalancers.projection, core.endpointServices.projection];
  const projection = projections.find((p) => p.name === name);
  if (!projection) {
    process.stderr.write(`usage: npm run rebuild-projection -- <${projections.map((p) => p.name).join('|')}>\n`);
    process.exit(2);
  }
  let last = 0;
  const result = await rebuildProjection(core.runtime.db, core.runtime.store, projection as never, {
    onProgress: (p) => {
      if (p.phase !== 'replaying' || Date.now() - last > 1_000) {
        last = Date.now();
        const pct = p.total > 0 ? ` ${Math.min(100, Math.round((p.events / p.total) * 100))}%` : '';
        process.stderr.write(`[rebuild ${p.projection}] ${p.phase}${pct} ${p.events} events (${p.eventsPerSecond}/s)\n`);
      }
    },
  });
  process.stdout.write(
    `rebuilt ${name}: ${result.events} events → ${result.rows} rows in ${result.seconds.toFixed(2)} s (${result.eventsPerSecond} events/s)\n`,
  );
  await core.stop();
}

main().catch((error) => {
  process.stderr.write(`rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

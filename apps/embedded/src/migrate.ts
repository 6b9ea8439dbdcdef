import 'reflect-metadata';
import { createLogger, loadConfigOrExit, Metrics, ReadinessRegistry } from '@privatelink/platform';
import { InProcessTransport } from '@privatelink/messaging';
import { EndpointApiCore } from '../../endpoint-api/src/endpoint-api.core';
import { ConnectionBrokerCore } from '../../connection-broker/src/connection-broker.service';
import { DnsVerifierCore } from '../../dns-verifier/src/dns-verifier.service';
import { NotifierCore } from '../../notifier/src/notifier.service';
import { QuotaGuardCore } from '../../quota-guard/src/quota-guard.service';

/**
 * `npm run migrate` (and the Helm chart's migration Job): brings every service's schema up to date and
 * exits. Opening a service's core runs its migrations under the schema's advisory lock, exactly as the
 * service does at start; nothing is started (no relay, no consumers), so this only needs PostgreSQL.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit({ ...process.env, PRIVATELINK_TRANSPORT: 'in-process' });
  const logger = createLogger(config.logLevel, 'migrate');
  const transport = new InProcessTransport(logger);
  const metrics = new Metrics();
  const deps = { config, transport, metrics, readiness: new ReadinessRegistry(), logger };
  const cores = [EndpointApiCore, ConnectionBrokerCore, DnsVerifierCore, NotifierCore, QuotaGuardCore] as const;
  for (const Core of cores) {
    const started = Date.now();
    const core = await (Core as { open(d: typeof deps): Promise<{ stop(): Promise<void> }> }).open(deps);
    await core.stop();
    logger.info({ service: Core.service, ms: Date.now() - started }, `${Core.service}: schema up to date`);
  }
  await transport.close();
}

main().catch((error) => {
  process.stderr.write(`migrate failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

import 'reflect-metadata';
import { runMain } from '@privatelink/platform';
import { EndpointApiModule } from '../../endpoint-api/src/endpoint-api.module';
import { ConnectionBrokerModule } from '../../connection-broker/src/connection-broker.service';
import { DnsVerifierModule } from '../../dns-verifier/src/dns-verifier.service';
import { NotifierModule } from '../../notifier/src/notifier.service';
import { QuotaGuardModule } from '../../quota-guard/src/quota-guard.service';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

/**
 * `npm start`: all five services in one process, on an embedded PostgreSQL and the in-process transport.
 * The same modules as the distributed run; only the database and the transport adapters differ.
 */
let embeddedPostgres: EmbeddedPostgres | undefined;
let region = 'us-east-1';

// The embedded run always uses the in-process transport; set before the config is validated.
process.env.PRIVATELINK_TRANSPORT = 'in-process';

runMain('embedded', [EndpointApiModule, ConnectionBrokerModule, DnsVerifierModule, NotifierModule, QuotaGuardModule], {
  prepare: async (config) => {
    region = config.region;
    if (config.databaseUrl) return { transport: 'in-process' };
    const port = Number(process.env.PRIVATELINK_EMBEDDED_PG_PORT ?? 54329);
    embeddedPostgres = await startEmbeddedPostgres(config.dataDir, port, (line) => process.stdout.write(`${line}\n`));
    const pg = embeddedPostgres;
    return {
      databaseUrl: pg.url,
      transport: 'in-process',
      dbPoolSize: Math.min(config.dbPoolSize, 4),
      dbCommandPoolSize: Math.min(config.dbCommandPoolSize, 2),
    };
  },
  afterClose: async () => {
    const pg = embeddedPostgres;
    embeddedPostgres = undefined;
    await pg?.stop();
  },
  announce: (host) => {
    const lines = [
      '',
      `PrivateLink control plane (embedded) is up`,
      `  API:      ${host.url}`,
      `  API docs: ${host.url}/docs   (OpenAPI: ${host.url}/openapi.json)`,
      `  console:  ${host.url}/console   (sign in with the ops key below)`,
      `  health:   ${host.url}/health/ready   metrics: ${host.url}/metrics`,
      `  demo API keys (Authorization: Bearer <key>):`,
      ...host.principals.demoKeys.map((k) => `    ${k.role.padEnd(8)} ${k.apiKey}  (${k.principal})`),
      `  demo AWS credentials (aws --endpoint-url ${host.url} --region ${region} ec2 …):`,
      ...host.principals.demoKeys
        .filter((k) => k.accessKeyId)
        .map(
          (k) => `    ${k.role.padEnd(8)} AWS_ACCESS_KEY_ID=${k.accessKeyId} AWS_SECRET_ACCESS_KEY=${k.secretAccessKey}  (${k.principal})`,
        ),
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
});

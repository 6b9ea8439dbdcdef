import { DynamicModule, INestApplication, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { MessageTransport } from '@privatelink/contracts';
import { InProcessTransport, KafkaTransport } from '@privatelink/messaging';
import { PlatformConfig, loadConfigOrExit } from './config';
import { createLogger, Logger } from './logger';
import { Metrics } from './metrics';
import { PrincipalDirectory } from './auth';
import { PlatformModule } from './platform.module';
import { buildOpenApiDocument } from './openapi';
import { requestIdOf, toErrorResponse } from './http-errors';
import { httpTracing, startTracing } from './tracing';

export interface HostOptions {
  /** Names the process in logs and Kafka client ids: a service name, or `embedded`. */
  processName: string;
  config: PlatformConfig;
  /** The service modules this process runs: one for a service process, all five for the embedded run. */
  services: Array<Type<unknown> | DynamicModule>;
  /** Defaults to the transport the config names. */
  transport?: MessageTransport;
  /** Let Nest handle SIGINT/SIGTERM (default true). */
  shutdownHooks?: boolean;
}

export interface Host {
  app: INestApplication;
  url: string;
  logger: Logger;
  metrics: Metrics;
  principals: PrincipalDirectory;
  transport: MessageTransport;
  close(): Promise<void>;
}

/** Builds the transport the config asks for. */
export function createTransport(config: PlatformConfig, processName: string, logger: Logger, metrics: Metrics): MessageTransport {
  const onDeadLetter = (topic: string) => metrics.deadLetters.inc({ topic });
  if (config.transport === 'in-process') return new InProcessTransport(logger.child({ component: 'transport' }), onDeadLetter);
  return new KafkaTransport({
    brokers: config.kafka.brokers,
    clientId: processName,
    partitions: config.kafka.partitions,
    namespace: config.kafka.namespace,
    logger: logger.child({ component: 'transport' }),
    onDeadLetter,
  });
}

/** Starts one HTTP process hosting the given service modules on the shared platform. */
export async function startHost(options: HostOptions): Promise<Host> {
  const { config, processName } = options;
  const logger = createLogger(config.logLevel, processName);
  const tracing = startTracing(config.tracing, processName);
  const metrics = new Metrics();
  const principals = PrincipalDirectory.fromFile(config.principalsFile);
  const transport = options.transport ?? createTransport(config, processName, logger, metrics);

  @Module({ imports: [PlatformModule.forRoot({ config, logger, transport, metrics, principals }), ...options.services] })
  class HostModule {}

  const app = await NestFactory.create<NestExpressApplication>(HostModule, { bufferLogs: true, bodyParser: false, abortOnError: false });
  app.useLogger(app.get(NestPinoLogger));
  // The request's span (continuing its traceparent header) is active for everything the request writes.
  app.use(httpTracing(processName));
  // The request id exists before the body is parsed, so even a malformed body's error names it.
  app.use((req: Request & { id?: string }, res: Response, next: NextFunction) => {
    const header = req.headers['x-request-id'];
    req.id = typeof header === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(header) ? header : randomUUID();
    res.setHeader('x-request-id', req.id);
    next();
  });
  app.useBodyParser('json', { limit: config.http.bodyLimit, strict: true });
  app.disable('x-powered-by');
  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route?.path as string | undefined) ?? 'unmatched';
      metrics.httpRequests.observe({ method: req.method, route, status: String(res.statusCode) }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  });
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument() as never, { jsonDocumentUrl: 'docs/openapi.json' });
  // Nest's hooks close the app on SIGINT/SIGTERM; runMain takes over instead to stop what the process
  // started around the app (the embedded Postgres) only after the app has stopped.
  if (options.shutdownHooks !== false) app.enableShutdownHooks();
  await app.init();
  // Errors raised by Express middleware (body parsing) before Nest's filters see the request.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { status, body } = toErrorResponse(error, requestIdOf(req));
    if (status >= 500) logger.error({ err: error }, 'request failed before routing');
    res.status(status).json(body);
  });
  await app.listen(config.http.port, config.http.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const url = `http://${config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host}:${port}`;
  return {
    app,
    url,
    logger,
    metrics,
    principals,
    transport,
    close: async () => {
      await app.close();
      await transport.close();
      await tracing.flush();
    },
  };
}

export interface MainOptions {
  /** Runs before the host starts (the embedded run starts its Postgres here) and may fill in config. */
  prepare?: (config: PlatformConfig) => Promise<Partial<PlatformConfig>>;
  /** Runs once the host listens. */
  announce?: (host: Host) => void;
  /** Runs after the host has closed on SIGINT/SIGTERM (e.g. stops the embedded Postgres). */
  afterClose?: () => Promise<void>;
}

/** The whole `main()` of a process: validated config, the host, and a clear exit when start-up fails. */
export function runMain(processName: string, services: HostOptions['services'], options: MainOptions = {}): void {
  (async () => {
    let config = loadConfigOrExit(process.env, {}, Boolean(options.prepare));
    if (options.prepare) config = { ...config, ...(await options.prepare(config)) };
    const host = await startHost({ processName, config, services, shutdownHooks: !options.afterClose });
    host.logger.info({ url: host.url, docs: `${host.url}/docs`, transport: host.transport.name }, `${processName} listening`);
    options.announce?.(host);
    if (options.afterClose) {
      const stop = (signal: string) => {
        host.logger.info({ signal }, `${processName} stopping`);
        host
          .close()
          .then(options.afterClose)
          .then(() => process.exit(0), (error) => {
            process.stderr.write(`${processName} did not stop cleanly: ${String(error)}\n`);
            process.exit(1);
          });
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    }
  })().catch((error) => {
    process.stderr.write(`${processName} failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}

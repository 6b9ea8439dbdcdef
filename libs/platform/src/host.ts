import { DynamicModule, INestApplication, Module, Type } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { ExpressAdapter, NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { MessageTransport } from '@privatelink/contracts';
import { ConsumerObserver, InProcessTransport, KafkaTransport } from '@privatelink/messaging';
import { PlatformConfig, loadConfigOrExit } from './config';
import { createLogger, Logger } from './logger';
import { Metrics } from './metrics';
import { PrincipalDirectory } from './auth';
import { PlatformModule } from './platform.module';
import { buildOpenApiDocument } from './openapi';
import { isRouted, requestIdOf, toErrorResponse } from './http-errors';
import { HttpFront, Phase } from './lifecycle';
import { countRefusal, markRefused, refusalReasonOf, refuseUndeclaredMethods, requireJsonBodies } from './edge';
import { httpTracing, startTracing } from './tracing';
import { WIRE_EDGE, WireEdge } from './wire-edge';

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
  /** A listener already open on the configured port (runMain opens it before `prepare`); else one is opened. */
  front?: HttpFront;
}

export interface Host {
  app: INestApplication;
  url: string;
  logger: Logger;
  metrics: Metrics;
  principals: PrincipalDirectory;
  transport: MessageTransport;
  /** starting → serving → stopping → stopped (see HttpFront). */
  readonly phase: Phase;
  /** Readiness 503 and new requests refused, in-flight ones drained; then consumers, relays and the transport stop. */
  close(): Promise<void>;
}

/** Builds the transport the config asks for. */
export function createTransport(config: PlatformConfig, processName: string, logger: Logger, metrics: Metrics): MessageTransport {
  const observer = consumerMetrics(metrics);
  const retry = config.consumerRetry;
  if (config.transport === 'in-process') return new InProcessTransport(logger.child({ component: 'transport' }), { observer, retry });
  return new KafkaTransport({
    brokers: config.kafka.brokers,
    clientId: processName,
    partitions: config.kafka.partitions,
    namespace: config.kafka.namespace,
    fetchMaxWaitMs: config.kafka.fetchMaxWaitMs,
    logger: logger.child({ component: 'transport' }),
    observer,
    retry,
  });
}

/** The transports' consumer hooks → Prometheus. */
export function consumerMetrics(metrics: Metrics): ConsumerObserver {
  const dependencies = new Map<string, string>();
  return {
    paused: (group, failure) => {
      const dependency = failure.dependency ?? 'unknown';
      dependencies.set(group, dependency);
      metrics.consumerPaused.set({ group, dependency }, 1);
    },
    resumed: (group) => {
      metrics.consumerPaused.set({ group, dependency: dependencies.get(group) ?? 'unknown' }, 0);
      dependencies.delete(group);
    },
    retried: (group, kind) => metrics.consumerRetries.inc({ group, kind }),
    deadLettered: (topic) => metrics.deadLetters.inc({ topic }),
  };
}

/** Starts one HTTP process hosting the given service modules on the shared platform. */
export async function startHost(options: HostOptions): Promise<Host> {
  const { config, processName } = options;
  const logger = createLogger(config.logLevel, processName);
  const tracing = startTracing(config.tracing, processName);
  const metrics = new Metrics();
  const principals = PrincipalDirectory.fromFile(config.principalsFile);
  const transport = options.transport ?? createTransport(config, processName, logger, metrics);
  if (transport instanceof KafkaTransport) metrics.ops.watchConsumerLag(processName, () => transport.consumerLag());

  @Module({ imports: [PlatformModule.forRoot({ config, logger, transport, metrics, principals }), ...options.services] })
  class HostModule {}

  // Listening before the modules start (migrations, consumer group joins): liveness answers from the start.
  const front = options.front ?? new HttpFront();
  if (!options.front) await front.listen(config.http.port, config.http.host);
  let app: NestExpressApplication | undefined;
  try {
    app = await NestFactory.create<NestExpressApplication>(HostModule, new FrontAdapter(front), {
      bufferLogs: true,
      bodyParser: false,
      abortOnError: false,
    });
    await initialise(app, options, metrics, logger);
  } catch (error) {
    await front.drain(0);
    await app?.close().catch(() => undefined); // what did start (database pools, consumers) stops again
    await transport.close().catch(() => undefined);
    throw error;
  }
  const started = app;
  front.serve(started.getHttpAdapter().getInstance());
  const address = front.server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const url = `http://${config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host}:${port}`;
  return {
    app: started,
    url,
    logger,
    metrics,
    principals,
    transport,
    get phase() {
      return front.phase;
    },
    close: async () => {
      const { unfinished } = await front.drain(config.http.drainMs);
      if (unfinished > 0) logger.warn({ unfinished }, 'requests still in flight when the drain time ran out');
      await started.close();
      await transport.close();
      await tracing.flush();
    },
  };
}

function optionalProvider<T>(app: NestExpressApplication, token: symbol): T | undefined {
  // Looked up in the modules first: `app.get` of a missing token throws, and Nest logs that as an error.
  const provided = [...app.get(ModulesContainer).values()].some((module) => module.providers.has(token));
  return provided ? app.get<T>(token, { strict: false }) : undefined;
}

/** Nest's Express adapter on the process's own listener (see HttpFront) instead of one made by `listen`. */
class FrontAdapter extends ExpressAdapter {
  constructor(private readonly front: HttpFront) {
    super();
  }

  override initHttpServer(): void {
    this.httpServer = this.front.server;
  }
}

async function initialise(app: NestExpressApplication, options: HostOptions, metrics: Metrics, logger: Logger): Promise<void> {
  const { config } = options;
  app.useLogger(app.get(NestPinoLogger));
  // The request's span (continuing its traceparent header) is active for everything the request writes.
  app.use(httpTracing(options.processName));
  // The request id exists before the body is parsed, so even a malformed body's error names it.
  app.use((req: Request & { id?: string }, res: Response, next: NextFunction) => {
    const header = req.headers['x-request-id'];
    req.id = typeof header === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(header) ? header : randomUUID();
    res.setHeader('x-request-id', req.id);
    next();
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = isRouted(req) ? String(req.route.path) : 'unmatched';
      metrics.httpRequests.observe(
        { method: req.method, route, status: String(res.statusCode) },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
      countRefusal(metrics, req, res.statusCode);
    });
    next();
  });
  // A wire API edge (WIRE_EDGE, provided by endpoint-api) takes its own requests before the JSON-only rules.
  const wire = optionalProvider<WireEdge>(app, WIRE_EDGE);
  if (wire) app.use((req: Request, res: Response, next: NextFunction) => wire.handle(req, res, next));
  // Before the body is parsed: a method the path does not serve (405), a body that is not JSON (415).
  const express = app.getHttpAdapter().getInstance() as unknown as { router?: { stack: never[] } };
  app.use(refuseUndeclaredMethods(() => express.router));
  app.use(requireJsonBodies);
  app.useBodyParser('json', { limit: config.http.bodyLimit, strict: true });
  app.disable('x-powered-by');
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument() as never, { jsonDocumentUrl: 'docs/openapi.json' });
  // Nest's hooks close the app on SIGINT/SIGTERM; runMain takes over instead to stop what the process
  // started around the app (the embedded Postgres) only after the app has stopped.
  if (options.shutdownHooks !== false) app.enableShutdownHooks();
  await app.init();
  // Errors raised by Express middleware (body parsing) before Nest's filters see the request.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    markRefused(req, refusalReasonOf(error));
    const { status, body, headers } = toErrorResponse(error, requestIdOf(req));
    if (status >= 500) logger.error({ err: error }, 'request failed before routing');
    if (headers) res.set(headers);
    res.status(status).json(body);
  });
}

export interface MainOptions {
  /** Runs before the host starts (the embedded run starts its Postgres here) and may fill in config. */
  prepare?: (config: PlatformConfig) => Promise<Partial<PlatformConfig>>;
  /** Runs once the host listens. */
  announce?: (host: Host) => void;
  /** Runs after the host has stopped, or after a failed start (e.g. stops the embedded Postgres). */
  afterClose?: () => Promise<void>;
}

/**
 * The whole `main()` of a process: validated config, the host, and a clear exit either way.
 * - A start-up failure prints its cause (the error's message, its causes, and the stack of an unexpected
 *   error) to stderr, undoes what `prepare` started, and exits 1.
 * - SIGTERM or SIGINT: readiness turns 503, HTTP drains, consumers and relays stop, then `afterClose`; exit 0.
 *   A second signal while stopping exits at once (1).
 */
export function runMain(processName: string, services: HostOptions['services'], options: MainOptions = {}): void {
  let host: Host | undefined;
  let front: HttpFront | undefined;
  let signalled: string | undefined;
  let stopping = false;
  const fail = (what: string, error: unknown) => {
    process.stderr.write(`${processName} ${what}: ${describeError(error)}\n`);
    process.exit(1);
  };
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write(`${processName}: ${signal} again while stopping; exiting at once\n`);
      process.exit(1);
    }
    signalled = signal;
    if (!host) return; // still starting: stopped as soon as the start completes
    stopping = true;
    host.logger.info({ signal }, `${processName} stopping: readiness 503, draining HTTP, then consumers and relays`);
    const started = Date.now();
    host
      .close()
      .then(() => options.afterClose?.())
      .then(
        () => {
          host?.logger.info({ ms: Date.now() - started }, `${processName} stopped`);
          process.exit(0);
        },
        (error) => fail('did not stop cleanly', error),
      );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  (async () => {
    let config = loadConfigOrExit(process.env, {}, Boolean(options.prepare));
    // Listening first: liveness answers while `prepare` (the embedded PostgreSQL) and the modules start.
    front = new HttpFront();
    await front.listen(config.http.port, config.http.host);
    if (options.prepare) config = { ...config, ...(await options.prepare(config)) };
    host = await startHost({ processName, config, services, shutdownHooks: false, front });
    host.logger.info({ url: host.url, docs: `${host.url}/docs`, transport: host.transport.name }, `${processName} listening`);
    options.announce?.(host);
    if (signalled) stop(signalled);
  })().catch(async (error) => {
    await front?.drain(0);
    await options
      .afterClose?.()
      .catch((cleanup) =>
        process.stderr.write(`${processName}: cleaning up after the failed start also failed: ${describeError(cleanup)}\n`),
      );
    fail('failed to start', error);
  });
}

/** An error as an operator needs it: the message and its causes; the stack only for an unexpected error. */
export function describeError(error: unknown): string {
  if (error === undefined || error === null) return `no error was given (a promise was rejected with ${String(error)})`;
  if (!(error instanceof Error)) return typeof error === 'string' ? error : safeJson(error);
  const parts = [error.message || error.name];
  let cause = (error as { cause?: unknown }).cause;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    parts.push(`caused by: ${cause instanceof Error ? cause.message : safeJson(cause)}`);
    cause = cause instanceof Error ? (cause as { cause?: unknown }).cause : undefined;
  }
  const expected =
    ['ConfigError', 'EmbeddedPostgresError', 'DomainError'].includes(error.name) || (error as { code?: unknown }).code !== undefined;
  if (!expected && error.stack) parts.push(error.stack.split('\n').slice(1, 6).join('\n'));
  return parts.join('\n  ');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

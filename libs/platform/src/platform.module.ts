import { Controller, DynamicModule, Get, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { MessageTransport } from '@privatelink/contracts';
import { PlatformConfig } from './config';
import { Metrics } from './metrics';
import { HealthController, ReadinessRegistry } from './health';
import { PrincipalDirectory } from './auth';
import { AuthGuard, Public } from './request-context';
import { ErrorFilter } from './http-errors';
import { StringRulePipe, markRefused, refusalReasonOf } from './edge';
import { buildOpenApiDocument } from './openapi';
import { Logger } from './logger';
import { OutageLog } from './outages';

export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');
export const TRANSPORT = Symbol('TRANSPORT');
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

@Controller()
class OpenApiController {
  @Public()
  @Get('openapi.json')
  document() {
    return buildOpenApiDocument();
  }
}

export interface PlatformModuleOptions {
  config: PlatformConfig;
  logger: Logger;
  transport: MessageTransport;
  metrics: Metrics;
  principals: PrincipalDirectory;
}

/**
 * What every process has once, whichever services it hosts: config, logs, metrics, health, auth,
 * the error shape, the API document and the message transport.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformModuleOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger: options.logger,
            // The host's first middleware already set req.id (and the x-request-id header).
            genReqId: (req) => (req as { id?: string }).id ?? randomUUID(),
            customProps: (req) => ({ correlationId: req.headers['x-correlation-id'] ?? (req as { id?: unknown }).id }),
            autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
            serializers: { req: (req) => ({ id: req.id, method: req.method, url: req.url }) },
          },
        }),
      ],
      controllers: [HealthController, OpenApiController],
      providers: [
        { provide: PLATFORM_CONFIG, useValue: options.config },
        { provide: ROOT_LOGGER, useValue: options.logger },
        { provide: TRANSPORT, useValue: options.transport },
        { provide: Metrics, useValue: options.metrics },
        { provide: PrincipalDirectory, useValue: options.principals },
        ReadinessRegistry,
        {
          provide: OutageLog,
          inject: [ReadinessRegistry],
          useFactory: (readiness: ReadinessRegistry) =>
            new OutageLog(options.logger, options.metrics, async () => (await readiness.evaluate()).ready),
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        // The string rule on every body, query string and path parameter, before any handler runs.
        { provide: APP_PIPE, useClass: StringRulePipe },
        {
          provide: APP_FILTER,
          inject: [OutageLog],
          useFactory: (outages: OutageLog) =>
            new ErrorFilter(
              (error, req) => options.logger.error({ err: error, requestId: (req as { id?: unknown }).id }, 'request failed'),
              {
                retryAfterSeconds: options.config.retryAfterSeconds,
                onUnavailable: (failure, error, req) => outages.refused(failure, error, (req as { id?: unknown }).id),
              },
              (error, req) => markRefused(req, refusalReasonOf(error)),
              (error) => options.metrics.ops.countQuotaRefusal(error),
            ),
        },
      ],
      exports: [PLATFORM_CONFIG, ROOT_LOGGER, TRANSPORT, Metrics, PrincipalDirectory, ReadinessRegistry, OutageLog],
    };
  }
}

import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV3, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

/** Import `z` from here in HTTP schemas, so `.openapi()` is available everywhere. */
export { z };

/** One registry per process: every HTTP module registers its routes and schemas as it loads. */
export const openApiRegistry = new OpenAPIRegistry();

export const errorBodySchema = openApiRegistry.register(
  'Error',
  z.object({
    code: z.string().openapi({ example: 'InvalidParameterValue' }),
    message: z.string(),
    requestId: z.string(),
    field: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
);

openApiRegistry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer', description: 'API key from the principals file' });

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorBodySchema } } });

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' as const, example: 5 } } };

/** Registers a route with the error responses every authenticated route can give. */
export function registerRoute(route: RouteConfig): void {
  const own503 = route.responses?.[503] as { description?: string } | undefined;
  openApiRegistry.registerPath({
    security: [{ apiKey: [] }],
    ...route,
    responses: {
      ...route.responses,
      400: errorResponse('InvalidParameterValue, MissingParameter: the field is named'),
      401: errorResponse('AuthFailure: missing or unknown API key'),
      403: errorResponse('UnauthorizedOperation: the role may not call this operation'),
      500: errorResponse('InternalError'),
      // Any route answers 503 while the database or the broker is down.
      503: {
        ...errorResponse(`${own503?.description ? `${own503.description}; or ` : ''}ServiceUnavailable: the database or the broker is down; retry after Retry-After seconds`),
        headers: retryAfter,
      },
    },
  });
}

export function buildOpenApiDocument() {
  return new OpenApiGeneratorV3(openApiRegistry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'PrivateLink provider control plane',
      version: '0.1.0',
      description: 'Provider admin, consumer portal and ops APIs. Field names mirror the EC2 API in camelCase.',
    },
    servers: [{ url: '/' }],
  });
}

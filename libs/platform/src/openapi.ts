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

/** Registers a route with the error responses every authenticated route can give. */
export function registerRoute(route: RouteConfig): void {
  openApiRegistry.registerPath({
    security: [{ apiKey: [] }],
    ...route,
    responses: {
      ...route.responses,
      400: errorResponse('InvalidParameterValue, MissingParameter: the field is named'),
      401: errorResponse('AuthFailure: missing or unknown API key'),
      403: errorResponse('UnauthorizedOperation: the role may not call this operation'),
      500: errorResponse('InternalError'),
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

import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV3, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { StringKind, stringProblem } from '@privatelink/domain';

extendZodWithOpenApi(z);

/** Import `z` from here in HTTP schemas, so `.openapi()` is available everywhere. */
export { z };

const ruled = (kind: StringKind, description: string) =>
  z
    .string()
    .superRefine((value, ctx) => {
      const problem = stringProblem(value, kind);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .openapi({ description });

/**
 * The shared string schemas (the rule: libs/domain/src/text.ts). Names, keys and ids: no NUL, no unpaired
 * surrogate, no control or bidirectional formatting character. Free text (messages, reasons, policies):
 * no NUL and no unpaired surrogate; line breaks allowed. A break is a 400 naming the field.
 */
export const nameString = () => ruled('name', 'A name, key or id: no control or bidirectional formatting characters');
export const textString = () => ruled('text', 'Free text: no NUL character and no unpaired surrogate');

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

openApiRegistry.registerComponent('securitySchemes', 'apiKey', {
  type: 'http',
  scheme: 'bearer',
  description: 'API key from the principals file',
});

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorBodySchema } } });

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' as const, example: 5 } } };

/**
 * Registers a route with the error responses every authenticated route can give: the route's own 404
 * description wins over the generic one, and its own 503 description is kept beside ServiceUnavailable.
 */
export function registerRoute(route: RouteConfig): void {
  const own503 = route.responses?.[503] as { description?: string } | undefined;
  openApiRegistry.registerPath({
    security: [{ apiKey: [] }],
    ...route,
    responses: {
      404: errorResponse(
        'A *.NotFound code: no such resource of the caller (another account’s answers the same); or InvalidAction: no such route',
      ),
      ...route.responses,
      400: errorResponse(
        'InvalidParameterValue, MissingParameter, InvalidPaginationToken...: `field` names the offending field, parameter or header',
      ),
      401: errorResponse('AuthFailure: missing or unknown API key'),
      403: errorResponse('UnauthorizedOperation: the role may not call this operation'),
      405: errorResponse('MethodNotAllowed: the path exists, but not with this method; the Allow header lists the methods it serves'),
      413: errorResponse('InvalidParameterValue: the request body is larger than the server accepts'),
      415: errorResponse('InvalidParameterValue: the body is not application/json, or its Content-Encoding is not gzip, deflate or br'),
      500: errorResponse('InternalError'),
      // Any route answers 503 while the database or the broker is down.
      503: {
        ...errorResponse(
          `${own503?.description ? `${own503.description}; or ` : 'Unavailable: a service this operation needs did not answer in time; or '}ServiceUnavailable: the database or the broker is down; retry after Retry-After seconds`,
        ),
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

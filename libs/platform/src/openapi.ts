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

openApiRegistry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer', description: 'API key from the principals file' });

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorBodySchema } } });

/**
 * Registers a route with the error responses every authenticated route can give: the route's own 404 and
 * 503 descriptions win over the generic ones.
 */
export function registerRoute(route: RouteConfig): void {
  openApiRegistry.registerPath({
    security: [{ apiKey: [] }],
    ...route,
    responses: {
      404: errorResponse('A *.NotFound code: no such resource of the caller (another account’s answers the same); or InvalidAction: no such route'),
      503: errorResponse('Unavailable: a service or the database this operation needs did not answer in time; retry'),
      ...route.responses,
      400: errorResponse('InvalidParameterValue, MissingParameter, InvalidPaginationToken...: `field` names the offending field, parameter or header'),
      401: errorResponse('AuthFailure: missing or unknown API key'),
      403: errorResponse('UnauthorizedOperation: the role may not call this operation'),
      405: errorResponse('MethodNotAllowed: the path exists, but not with this method; the Allow header lists the methods it serves'),
      413: errorResponse('InvalidParameterValue: the request body is larger than the server accepts'),
      415: errorResponse('InvalidParameterValue: the body is not application/json, or its Content-Encoding is not gzip, deflate or br'),
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

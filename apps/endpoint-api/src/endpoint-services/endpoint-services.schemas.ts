import { nameString, z } from '@privatelink/platform';
import { ListRouteSpec, listRoute } from '../http/list-route';
import { errorResponse } from '../http/openapi-helpers';
import { serviceIdParam } from '../http/params';
import { PathParam, RouteSpec, defineRoute } from '../http/route';
import { endpointServiceView } from './endpoint-service.view';

// ── what the provider's routes on endpoint services share in the API document ───────────────────

export const SERVICES_TAG = 'provider: endpoint services';
export const serviceNotFoundResponse = errorResponse(
  'InvalidVpcEndpointServiceId.NotFound: no such service in the caller’s account (another account’s service answers the same)',
);
export const conflictResponse = (what: string) =>
  errorResponse(`${what}; ConcurrentModification when other requests changed the service at the same time`);

/**
 * A change of one of the provider's services: `<method> /v1/provider/endpoint-services/{serviceId}<path>`,
 * answering its `responses` (the successes), else the service's 404 or 409 IncorrectState.
 */
export function serviceChange<B>(spec: Omit<RouteSpec<{ serviceId: PathParam }, B>, 'roles' | 'tags' | 'params'>) {
  const { path, responses, ...rest } = spec;
  return defineRoute({
    path: `/v1/provider/endpoint-services/{serviceId}${path}`,
    roles: ['provider'],
    tags: [SERVICES_TAG],
    params: { serviceId: serviceIdParam },
    ...rest,
    responses: { ...responses, 404: serviceNotFoundResponse, 409: conflictResponse('IncorrectState') },
  });
}

/**
 * A list under one of the provider's services: `GET /v1/provider/endpoint-services/{serviceId}<path>`, for
 * the provider (its own services) and ops, else the service's 404 (tagged as the services' routes unless
 * `tags` says otherwise).
 */
export function serviceList(spec: Omit<ListRouteSpec<{ serviceId: PathParam }>, 'roles' | 'params' | 'responses'>) {
  const { path, ...rest } = spec;
  return listRoute({
    path: `/v1/provider/endpoint-services/{serviceId}${path}`,
    roles: ['provider', 'ops'],
    tags: [SERVICES_TAG],
    params: { serviceId: serviceIdParam },
    ...rest,
    responses: { 404: serviceNotFoundResponse },
  });
}

/** The principals a change of permissions names (1 to 100). */
export const principalList = z.array(nameString().max(2048)).min(1).max(100);

export const allowedPrincipalView = z
  .object({
    principal: z.string().openapi({ example: 'arn:aws:iam::444455556666:root' }),
    principalType: z.enum(['All', 'Account', 'User', 'Role']),
    servicePermissionId: z.string().openapi({ example: 'vpce-svc-perm-0123456789abcdef0' }),
  })
  .openapi('AllowedPrincipal');

/** The warning of a public service (* allowed, acceptance not required). */
export const warningField = z
  .string()
  .optional()
  .openapi({ description: 'Present when * is allowed and acceptance is not required: the service is public' });

export const permissionsView = z
  .object({ allowedPrincipals: z.array(allowedPrincipalView), nextToken: z.string().optional(), warning: warningField })
  .openapi('AllowedPrincipals');

/** What a change of permissions answers: the principals it changed, those already as asked, the allowed principals now. */
export const permissionsChange = (changed: string, unchanged: string) => ({
  [changed]: z.array(z.string()),
  [unchanged]: z.array(z.string()),
  allowedPrincipals: z.array(allowedPrincipalView),
  warning: warningField,
});

export const addPermissionsResponse = z.object(permissionsChange('added', 'alreadyPresent')).openapi('AddAllowedPrincipalsResponse');

export const serviceResponse = z
  .object({ serviceConfiguration: endpointServiceView, warning: warningField })
  .openapi('ServiceConfigurationResponse');

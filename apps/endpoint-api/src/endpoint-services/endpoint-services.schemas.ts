import { nameString, z } from '@privatelink/platform';
import { tagSchema } from '../http/load-balancers.schemas';
import { errorResponse } from '../http/openapi-helpers';
import { endpointServiceView } from './endpoint-service.view';

// ── what the provider's routes on endpoint services share in the API document ───────────────────

export const SERVICES_TAG = 'provider: endpoint services';
export const serviceNotFoundResponse = errorResponse(
  'InvalidVpcEndpointServiceId.NotFound: no such service in the caller’s account (another account’s service answers the same)',
);
export const conflictResponse = (what: string) =>
  errorResponse(`${what}; ConcurrentModification when other requests changed the service at the same time`);

/** The principals a change of permissions names (1 to 100). */
export const principalList = z.array(nameString().max(2048)).min(1).max(100);

export const allowedPrincipalView = z
  .object({
    principal: z.string().openapi({ example: 'arn:aws:iam::444455556666:root' }),
    principalType: z.enum(['All', 'Account', 'User', 'Role']),
    servicePermissionId: z.string().openapi({ example: 'vpce-svc-perm-0123456789abcdef0' }),
  })
  .openapi('AllowedPrincipal');

const warningField = z
  .string()
  .optional()
  .openapi({ description: 'Present when * is allowed and acceptance is not required: the service is public' });

export const permissionsView = z
  .object({ allowedPrincipals: z.array(allowedPrincipalView), nextToken: z.string().optional(), warning: warningField })
  .openapi('AllowedPrincipals');

export const addPermissionsResponse = z
  .object({
    added: z.array(z.string()),
    alreadyPresent: z.array(z.string()),
    allowedPrincipals: z.array(allowedPrincipalView),
    warning: warningField,
  })
  .openapi('AddAllowedPrincipalsResponse');

export const removePermissionsResponse = z
  .object({
    removed: z.array(z.string()),
    alreadyAbsent: z.array(z.string()),
    allowedPrincipals: z.array(allowedPrincipalView),
    warning: warningField,
  })
  .openapi('RemoveAllowedPrincipalsResponse');

export const createTagsBody = z
  .object({ tags: z.array(tagSchema).min(1).max(100) })
  .strict()
  .openapi('CreateTagsRequest');

export const deleteTagsBody = z
  .object({ tagKeys: z.array(nameString().max(256)).min(1).max(100) })
  .strict()
  .openapi('DeleteTagsRequest');

export const tagsView = z.object({ tags: z.array(tagSchema) }).openapi('Tags');

export const serviceResponse = z
  .object({ serviceConfiguration: endpointServiceView, warning: warningField })
  .openapi('ServiceConfigurationResponse');

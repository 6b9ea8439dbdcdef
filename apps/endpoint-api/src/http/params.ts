import { assertServiceId, assertVpcEndpointId } from '@privatelink/domain';
import { z } from '@privatelink/platform';
import { PathParam } from './route';

/** `{serviceId}`: a service id (vpce-svc- and 17 hex characters), else a 400 naming `serviceId`. */
export const serviceIdParam: PathParam = {
  schema: z.string().openapi({ example: 'vpce-svc-0123456789abcdef0' }),
  check: (value, field) => void assertServiceId(value, field),
};

/** `{vpcEndpointId}`: a VPC endpoint id (vpce- and 17 hex characters), else a 400 naming `vpcEndpointId`. */
export const vpcEndpointIdParam: PathParam = {
  schema: z.string().openapi({ example: 'vpce-0c1308d7312217abc' }),
  check: (value, field) => void assertVpcEndpointId(value, field),
};

/** `{serviceId}` documented without an example (the routes that always did), checked as a service id. */
export const plainServiceIdParam: PathParam = { schema: z.string(), check: serviceIdParam.check };

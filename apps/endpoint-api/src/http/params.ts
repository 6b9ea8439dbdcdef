import { assertServiceId } from '@privatelink/domain';
import { z } from '@privatelink/platform';
import { PathParam } from './route';

/** `{serviceId}`: a service id (vpce-svc- and 17 hex characters), else a 400 naming `serviceId`. */
export const serviceIdParam: PathParam = {
  schema: z.string().openapi({ example: 'vpce-svc-0123456789abcdef0' }),
  check: (value, field) => void assertServiceId(value, field),
};

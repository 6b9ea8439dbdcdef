import { serviceIdParam } from '../../http/params';
import { tagRoutes } from '../../http/tag-routes';
import { SERVICES_TAG, conflictResponse, serviceNotFoundResponse } from '../endpoint-services.schemas';
import { ServiceTagsHandler } from './service-tags.handler';

/** CreateTags / DeleteTags on one of the provider's services (its handler, as the EC2 tag actions use it). */
export const ServiceTagsRoute = tagRoutes(
  {
    name: 'service',
    path: '/v1/provider/endpoint-services/{serviceId}',
    param: 'serviceId',
    schema: serviceIdParam,
    tags: [SERVICES_TAG],
    responses: { 404: serviceNotFoundResponse, 409: conflictResponse('IncorrectState') },
  },
  ServiceTagsHandler,
  (handler, serviceId, change, ctx) => handler.execute(serviceId, change, ctx),
);

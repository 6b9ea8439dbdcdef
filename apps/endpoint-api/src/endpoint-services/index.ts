// Imported in the order of the API document (each route registers its entry as its file loads).
import { EndpointServiceQueries } from './endpoint-service.queries';
import { CreateEndpointServiceHandler } from './create/create-endpoint-service.handler';
import { CreateEndpointServiceRoute } from './create/create-endpoint-service.route';
import { DescribeEndpointServicesRoute } from './describe/describe-endpoint-services.route';
import { ModifyEndpointServiceHandler } from './modify/modify-endpoint-service.handler';
import { ModifyEndpointServiceRoute } from './modify/modify-endpoint-service.route';
import { SetPayerResponsibilityHandler } from './set-payer-responsibility/set-payer-responsibility.handler';
import { SetPayerResponsibilityRoute } from './set-payer-responsibility/set-payer-responsibility.route';
import { DeleteEndpointServiceHandler } from './delete/delete-endpoint-service.handler';
import { DeleteEndpointServiceRoute } from './delete/delete-endpoint-service.route';
import { DescribePermissionsRoute } from './describe-permissions/describe-permissions.route';
import { AddAllowedPrincipalsHandler } from './add-allowed-principals/add-allowed-principals.handler';
import { AddAllowedPrincipalsRoute } from './add-allowed-principals/add-allowed-principals.route';
import { RemoveAllowedPrincipalsHandler } from './remove-allowed-principals/remove-allowed-principals.handler';
import { RemoveAllowedPrincipalsRoute } from './remove-allowed-principals/remove-allowed-principals.route';
import { ServiceTagsHandler } from './tags/service-tags.handler';
import { ServiceTagsRoute } from './tags/service-tags.route';
import { DiscoverEndpointServicesRoute } from './discover/discover-endpoint-services.route';
import { DescribePublicServicesRoute } from './describe-public/describe-public-services.route';

/** The endpoint services' use cases: one route class per folder, and the handlers and queries they use. */
export const endpointServices = {
  routes: [
    CreateEndpointServiceRoute,
    DescribeEndpointServicesRoute,
    ModifyEndpointServiceRoute,
    SetPayerResponsibilityRoute,
    DeleteEndpointServiceRoute,
    DescribePermissionsRoute,
    AddAllowedPrincipalsRoute,
    RemoveAllowedPrincipalsRoute,
    ServiceTagsRoute,
    DiscoverEndpointServicesRoute,
    DescribePublicServicesRoute,
  ],
  providers: [
    EndpointServiceQueries,
    CreateEndpointServiceHandler,
    ModifyEndpointServiceHandler,
    SetPayerResponsibilityHandler,
    DeleteEndpointServiceHandler,
    AddAllowedPrincipalsHandler,
    RemoveAllowedPrincipalsHandler,
    ServiceTagsHandler,
  ],
};

import { NetworkHandlers } from './network.handlers';
import { NetworkQueries } from './network.queries';
import { NetworkRoutes } from './network.routes';

/** The network inventory's use cases: its REST routes, and the handlers and queries the routes and the EC2 actions share. */
export const network = {
  routes: [NetworkRoutes],
  providers: [NetworkHandlers, NetworkQueries],
};

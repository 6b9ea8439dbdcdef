import 'reflect-metadata';
import { runMain } from '@privatelink/platform';
import { EndpointApiModule } from './endpoint-api.module';

/** endpoint-api as its own process (the distributed run): `nx serve endpoint-api`. */
runMain('endpoint-api', [EndpointApiModule]);

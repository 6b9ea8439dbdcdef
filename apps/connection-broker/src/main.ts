import 'reflect-metadata';
import { runMain } from '@privatelink/platform';
import { ConnectionBrokerModule } from './connection-broker.service';

/** connection-broker as its own process (the distributed run): `nx serve connection-broker`. */
runMain('connection-broker', [ConnectionBrokerModule]);

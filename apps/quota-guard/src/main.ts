import 'reflect-metadata';
import { runMain } from '@privatelink/platform';
import { QuotaGuardModule } from './quota-guard.service';

/** quota-guard as its own process (the distributed run): `nx serve quota-guard`. */
runMain('quota-guard', [QuotaGuardModule]);

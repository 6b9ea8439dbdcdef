import 'reflect-metadata';
import { runMain } from '@privatelink/platform';
import { DnsVerifierModule } from './dns-verifier.service';

/** dns-verifier as its own process (the distributed run): `nx serve dns-verifier`. */
runMain('dns-verifier', [DnsVerifierModule]);

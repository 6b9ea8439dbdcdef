import { EntityManager } from 'typeorm';
import { streamFamilies } from '@privatelink/contracts';
import {
  PrivateDnsVerificationCommand,
  PrivateDnsVerificationEvent,
  PrivateDnsVerificationState,
  privateDnsVerificationDecider,
} from '@privatelink/domain';
import { Handled, Store, WriteContext, defineAggregate } from '@privatelink/platform';
import { saveSchedule } from '../projections/schedule';

export const verifications = defineAggregate(privateDnsVerificationDecider, streamFamilies.privateDnsVerification);
export const verificationStream = (serviceId: string) => verifications.streamOf(serviceId);

/** Lock class of the per-service write lock (two-key advisory locks have their own key space). */
const LOCK_CLASS = 0x444e5356; // 'DNSV'

export type VerificationWrite = Handled<PrivateDnsVerificationState | null, PrivateDnsVerificationEvent>;

/**
 * The one write path of a verification stream, inside the caller's transaction: take the service's write
 * lock (the name-change reaction, the scheduler and manual checks of one service then never race), load,
 * let `plan` pick the command from the current state (or nothing), decide, append, and save the schedule
 * row in the same transaction. The slow part of a check (DNS) happens before, outside any transaction:
 * an open transaction would hold back every relay's xmin horizon.
 */
export async function writeVerificationIn(
  runtime: Store,
  tx: EntityManager,
  serviceId: string,
  plan: (state: PrivateDnsVerificationState | null) => PrivateDnsVerificationCommand | null,
  context: WriteContext,
): Promise<VerificationWrite> {
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, serviceId]);
  return runtime.handle(verifications, serviceId, plan, context, {
    tx,
    attempts: 1, // under the lock only a writer without it races; the caller's transaction (or command) runs again
    after: async ({ state, version, events }) => {
      if (events.length > 0 && state) await saveSchedule(tx, state, version);
    },
  });
}

/** `writeVerificationIn` in a transaction of its own. */
export function writeVerification(
  runtime: Store,
  serviceId: string,
  plan: (state: PrivateDnsVerificationState | null) => PrivateDnsVerificationCommand | null,
  context: WriteContext,
): Promise<VerificationWrite> {
  return runtime.transact((tx) => writeVerificationIn(runtime, tx, serviceId, plan, context));
}

export async function loadVerification(
  runtime: Store,
  serviceId: string,
): Promise<{ state: PrivateDnsVerificationState | null; version: number }> {
  return runtime.load(verifications, serviceId);
}

import {
  CommandEnvelope,
  StartPrivateDnsVerificationPayload,
  StartPrivateDnsVerificationResult,
  startPrivateDnsVerificationCommand,
} from '@privatelink/contracts';
import { DomainError, PrivateDnsVerificationState, VerificationCheckResult, factsOf, verificationDomainFor } from '@privatelink/domain';
import { CheckRun, VerificationChecker } from '../dns/verification-checker';
import { RandomSource, labelLengthFor } from '../random';
import { Clock, CommandCall, CommandHandler, Store, commandHandler } from '@privatelink/platform';
import { loadVerification, writeVerificationIn } from './verification-writes';

type Prepared =
  /** The verifier had not seen this name yet: start it (the provider cannot have published a record it was never shown). */
  { kind: 'start'; label: string; token: string; dailySlotMs: number } | { kind: 'checked'; run: CheckRun };

/**
 * StartVpcEndpointServicePrivateDnsVerification on the owner's side: "checks now; no record → failed,
 * record → verified" (name servers that do not answer → pendingVerification). The DNS queries run in the
 * prepare phase, outside any transaction; the outcome is decided and written in the command's transaction.
 */
/** What the manual check uses: the write path, the clock, the randomness of a new record, the checker. */
export interface StartVerificationPorts {
  store: Store;
  clock: Clock;
  random: RandomSource;
  checker: Pick<VerificationChecker, 'check'>;
  countCheck(trigger: 'manual', result: VerificationCheckResult): void;
}

export function startVerificationHandler(ports: StartVerificationPorts): CommandHandler {
  return commandHandler(startPrivateDnsVerificationCommand, handle, { prepare });

  async function prepare(
    _payload: StartPrivateDnsVerificationPayload,
    command: CommandEnvelope<StartPrivateDnsVerificationPayload>,
  ): Promise<Prepared> {
    const payload = payloadOf(command);
    const { state } = await loadVerification(ports.store, payload.serviceId);
    if (!knowsName(state, payload)) {
      if (state && state.sourceVersion >= payload.sourceVersion) throw stale(payload);
      const domain = verificationDomainFor(payload.privateDnsName);
      return {
        kind: 'start',
        label: ports.random.label(labelLengthFor(domain)),
        token: ports.random.token(),
        dailySlotMs: ports.random.dailySlotMs(),
      };
    }
    // A check of this record already running (scheduled, or another call's) is shared, not repeated.
    return { kind: 'checked', run: await ports.checker.check(state!) };
  }

  async function handle(
    _payload: StartPrivateDnsVerificationPayload,
    { tx, command, context, prepared }: CommandCall<StartPrivateDnsVerificationPayload, Prepared>,
  ): Promise<StartPrivateDnsVerificationResult> {
    const payload = payloadOf(command);
    const write = await writeVerificationIn(
      ports.store,
      tx,
      payload.serviceId,
      (state) => {
        if (prepared.kind === 'start') {
          return {
            type: 'startVerification',
            serviceId: payload.serviceId,
            privateDnsName: payload.privateDnsName,
            label: prepared.label,
            token: prepared.token,
            dailySlotMs: prepared.dailySlotMs,
            sourceVersion: payload.sourceVersion,
            now: ports.clock().toISOString(),
          };
        }
        if (!knowsName(state, payload)) throw stale(payload);
        const { run } = prepared;
        return {
          type: 'recordCheck',
          trigger: 'manual',
          recordName: run.recordName,
          recordValue: run.recordValue,
          outcome: run.outcome,
          startedAt: run.startedAt,
          now: run.endedAt,
        };
      },
      context,
    );
    if (prepared.kind === 'checked') ports.countCheck('manual', prepared.run.outcome.result);
    if (!write.state || write.state.state === 'removed') throw noName(payload.serviceId);
    const result: StartPrivateDnsVerificationResult = {
      verification: factsOf(write.state),
      checked: prepared.kind !== 'start',
      streamId: write.streamId,
      version: write.version,
    };
    return result;
  }
}

function payloadOf(command: CommandEnvelope<Partial<StartPrivateDnsVerificationPayload>>): StartPrivateDnsVerificationPayload {
  const p = command.payload;
  const serviceId = typeof p.serviceId === 'string' ? p.serviceId : command.targetId;
  if (typeof p.privateDnsName !== 'string' || p.privateDnsName === '') throw noName(serviceId);
  return { serviceId, privateDnsName: p.privateDnsName, sourceVersion: Number(p.sourceVersion ?? 0) };
}

function knowsName(state: PrivateDnsVerificationState | null, payload: StartPrivateDnsVerificationPayload): boolean {
  return !!state && state.state !== 'removed' && state.privateDnsName === payload.privateDnsName;
}

function noName(serviceId: string): DomainError {
  return new DomainError('IncorrectState', `endpoint service ${serviceId} has no private DNS name to verify`, 'serviceId');
}

/** The verifier has newer news of the service than the request (the name was changed or removed meanwhile). */
function stale(payload: StartPrivateDnsVerificationPayload): DomainError {
  return new DomainError(
    'IncorrectState',
    `the private DNS name of endpoint service ${payload.serviceId} is no longer ${payload.privateDnsName}; read the service again`,
    'serviceId',
  );
}

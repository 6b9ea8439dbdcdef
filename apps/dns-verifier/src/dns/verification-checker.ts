// One verification check: ask DNS for every place the record is accepted at (the name's own record
// first: when it is there, that single answer settles it), classify the answers with the domain's pure
// diagnosis, and tell when the check started and ended. Concurrent checks of the same record share one
// run, so a manual verify arriving during a scheduled check (or a second verify call) starts no other.
import { SpanKind } from '@opentelemetry/api';
import {
  PrivateDnsVerificationState,
  TxtLookup,
  VerificationCheckOutcome,
  diagnoseVerification,
  verificationLookupsFor,
} from '@privatelink/domain';
import { withSpan } from '@privatelink/platform';

export interface TxtResolver {
  lookupTxt(name: string): Promise<TxtLookup>;
}

export interface CheckRun {
  outcome: VerificationCheckOutcome;
  recordName: string;
  recordValue: string;
  startedAt: string;
  endedAt: string;
}

export class VerificationChecker {
  private readonly running = new Map<string, Promise<CheckRun>>();
  /** Checks run (not shared); the benchmark reads it. */
  runs = 0;

  constructor(
    private readonly resolver: TxtResolver,
    private readonly clock: () => Date,
  ) {}

  check(state: PrivateDnsVerificationState): Promise<CheckRun> {
    const key = `${state.serviceId}|${state.recordName}|${state.recordValue}`;
    let run = this.running.get(key);
    if (!run) {
      run = this.run(state).finally(() => this.running.delete(key));
      this.running.set(key, run);
    }
    return run;
  }

  private run(state: PrivateDnsVerificationState): Promise<CheckRun> {
    // A manual verify continues the request's trace; a scheduled re-check starts one of its own.
    const attributes = {
      'privatelink.service': 'dns-verifier',
      'privatelink.service_id': state.serviceId,
      'dns.question.name': state.recordName,
    };
    return withSpan('DNS verification check', { kind: SpanKind.CLIENT, attributes }, async (span) => {
      const run = await this.lookUp(state);
      span.setAttribute('privatelink.dns.outcome', run.outcome.result);
      return run;
    });
  }

  private async lookUp(state: PrivateDnsVerificationState): Promise<CheckRun> {
    this.runs++;
    const startedAt = this.clock().toISOString();
    const { accepted, doubled } = verificationLookupsFor(state.privateDnsName, state.recordLabel);
    const lookups: Record<string, TxtLookup> = {};
    const ask = async (names: string[]) => {
      const answers = await Promise.all(names.map((n) => this.resolver.lookupTxt(n)));
      names.forEach((n, i) => (lookups[n] = answers[i]));
    };
    const has = (name: string) => {
      const l = lookups[name];
      return l?.status === 'records' && l.values.includes(state.recordValue);
    };
    await ask([accepted[0].name]);
    if (!has(accepted[0].name)) {
      await ask(accepted.slice(1).map((a) => a.name));
      if (!accepted.some((a) => has(a.name))) await ask(doubled);
    }
    const outcome = diagnoseVerification({
      privateDnsName: state.privateDnsName,
      label: state.recordLabel,
      recordValue: state.recordValue,
      lookups,
    });
    return { outcome, recordName: state.recordName, recordValue: state.recordValue, startedAt, endedAt: this.clock().toISOString() };
  }
}

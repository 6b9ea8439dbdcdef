/**
 * What kind of failure an error is, which decides what a consumer does with the message:
 * - `unavailable`: a dependency (Postgres, Kafka, the network) cannot be reached or is restarting. The
 *   message is fine; retry it, with capped backoff, for as long as the outage lasts. Never dead-letter.
 * - `contention`: the database refused the work because of concurrent work (serialization failure,
 *   deadlock, lock timeout, an optimistic-concurrency conflict). Retrying succeeds; never dead-letter.
 * - `deterministic`: the message itself cannot be handled (undecodable, a rule it can never pass, a bug
 *   that fails the same way each time). A few tries, then the dead-letter topic.
 * An error that is not recognised as one of the first two is deterministic: retrying it forever would
 * block the partition behind a message that can never pass.
 */
export type FailureKind = 'unavailable' | 'contention' | 'deterministic';

export type Dependency = 'postgres' | 'kafka' | 'network';

export interface FailureClass {
  kind: FailureKind;
  /** The dependency that is down, for `unavailable`. */
  dependency?: Dependency;
  /** A short reason for logs and metrics, e.g. `postgres 57P01` or `ECONNREFUSED`. */
  reason: string;
}

// SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const PG_CONTENTION = new Set(['40001', '40P01', '55P03', '57014']);
const PG_UNAVAILABLE = new Set([
  '57P01',
  '57P02',
  '57P03',
  '57P05',
  '25006',
  '58000',
  '58030',
  '53000',
  '53100',
  '53200',
  '53300',
  '53400',
]);
// Node's socket and resolver error codes that mean "could not reach it", not "it said no".
const NET_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ETIMEOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTCONN',
  'ESOCKETTIMEDOUT',
]);
// node-postgres and TypeORM report a lost or unobtainable connection in words, without a code.
const PG_CONNECTION_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /terminating connection due to/i,
  /the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/i,
  /connection (is|was) not (established|open)/i,
  /cannot use a pool after calling end/i,
  /sorry, too many clients already/i,
  /server closed the connection unexpectedly/i,
  // TypeORM's QueryRunnerProviderAlreadyReleasedError and QueryRunnerAlreadyReleasedError: the transaction's
  // connection was lost under it (a statement or the commit after a Postgres restart).
  /connection provided by a query runner was already released/i,
  /query runner already released/i,
];
// Kafka protocol errors that retrying can never fix: the message or request is wrong.
const KAFKA_DETERMINISTIC = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_RECORD',
  'INVALID_REQUIRED_ACKS',
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'UNSUPPORTED_VERSION',
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  type?: unknown;
  retriable?: unknown;
  $retryable?: unknown;
  syscall?: unknown;
  cause?: unknown;
  driverError?: unknown;
  originalError?: unknown;
  errors?: unknown;
}

/** Classifies an error by looking at it and at what it wraps (TypeORM's driverError, `cause`, AggregateError). */
export function classifyFailure(error: unknown): FailureClass {
  let contention: FailureClass | undefined;
  for (const e of chain(error)) {
    const found = classifyOne(e);
    if (found?.kind === 'unavailable') return found;
    if (found?.kind === 'contention') contention ??= found;
  }
  return contention ?? { kind: 'deterministic', reason: reasonOf(error) };
}

/** True for failures that are retried until they pass (never dead-lettered). */
export function isRetryableFailure(error: unknown): boolean {
  return classifyFailure(error).kind !== 'deterministic';
}

function classifyOne(e: ErrorLike): FailureClass | undefined {
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';

  if (/^[0-9A-Z]{5}$/.test(code) && !code.startsWith('E')) {
    if (PG_CONTENTION.has(code)) return { kind: 'contention', reason: `postgres ${code}` };
    if (PG_UNAVAILABLE.has(code) || code.startsWith('08'))
      return { kind: 'unavailable', dependency: 'postgres', reason: `postgres ${code}` };
    return undefined; // any other SQLSTATE is the statement's own fault (constraint, syntax, data)
  }
  if (NET_UNAVAILABLE.has(code) || (code === 'ENOTFOUND' && e.syscall === 'getaddrinfo')) {
    return { kind: 'unavailable', dependency: 'network', reason: code };
  }
  if (name.startsWith('KafkaJS')) {
    const type = typeof e.type === 'string' ? e.type : '';
    if (KAFKA_DETERMINISTIC.has(type)) return undefined;
    return { kind: 'unavailable', dependency: 'kafka', reason: type ? `${name} ${type}` : name };
  }
  if (name === 'StreamVersionConflict') return { kind: 'contention', reason: name };
  if (name === 'DomainError' && code === 'ConcurrentModification') return { kind: 'contention', reason: code };
  if (name === 'DomainError' && (code === 'Unavailable' || code === 'ServiceUnavailable'))
    return { kind: 'unavailable', dependency: 'network', reason: code };
  if (PG_CONNECTION_MESSAGES.some((re) => re.test(message)))
    return { kind: 'unavailable', dependency: 'postgres', reason: message.slice(0, 80) };
  // AWS SDK v3 marks throttling and transient network trouble as retryable.
  if (e.$retryable || name === 'TimeoutError' || name === 'NetworkingError')
    return { kind: 'unavailable', dependency: 'network', reason: name || 'retryable' };
  return undefined;
}

function* chain(error: unknown, depth = 0): Generator<ErrorLike> {
  if (!error || typeof error !== 'object' || depth > 5) return;
  const e = error as ErrorLike;
  yield e;
  for (const inner of [e.driverError, e.cause, e.originalError]) if (inner && inner !== error) yield* chain(inner, depth + 1);
  if (Array.isArray(e.errors)) for (const inner of e.errors) yield* chain(inner, depth + 1);
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.name;
  return typeof error;
}

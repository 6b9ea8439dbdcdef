import { DatabaseError } from 'pg';
import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSRequestTimeoutError } from 'kafkajs';
import { z } from 'zod';
import { DomainError } from '@privatelink/domain';
import { StreamVersionConflict } from '@privatelink/eventstore';
import { classifyFailure, isRetryableFailure } from './failure';

function pgError(code: string, message = 'server said no'): DatabaseError {
  const e = new DatabaseError(message, message.length, 'error');
  e.code = code;
  return e;
}

/** How TypeORM hands a driver error to the caller. */
function viaTypeorm(driverError: Error): QueryFailedError {
  return new QueryFailedError('SELECT 1', [], driverError);
}

/** kafkajs builds its protocol errors from the broker's error entry (typed as Error in its d.ts). */
function kafkaProtocolError(type: string, code: number, retriable: boolean): KafkaJSProtocolError {
  return new KafkaJSProtocolError({ message: type, type, code, retriable } as unknown as Error);
}

function netError(code: string, syscall = 'connect'): Error {
  return Object.assign(new Error(`${syscall} ${code} 127.0.0.1:5432`), { code, syscall, errno: -111 });
}

describe('failure classification', () => {
  describe('a dependency that cannot be reached is unavailable: retried until it is back, never dead-lettered', () => {
    it.each([
      [
        'Postgres shutting down (57P01 admin_shutdown)',
        viaTypeorm(pgError('57P01', 'terminating connection due to administrator command')),
      ],
      ['Postgres starting up (57P03 cannot_connect_now)', pgError('57P03', 'the database system is starting up')],
      ['a connection exception (08006)', pgError('08006')],
      ['too many connections (53300)', pgError('53300')],
      ['a refused connection', netError('ECONNREFUSED')],
      ['a connection reset by the peer', viaTypeorm(netError('ECONNRESET', 'read'))],
      ['a host name that does not resolve now', netError('EAI_AGAIN', 'getaddrinfo')],
      ["node-postgres's lost connection", new Error('Connection terminated unexpectedly')],
      ["node-postgres's pool timeout", new Error('timeout exceeded when trying to connect')],
      ["TypeORM's transaction whose connection was lost under it", new QueryRunnerProviderAlreadyReleasedError()],
      ["TypeORM's commit after the connection was lost", new QueryRunnerAlreadyReleasedError()],
      ['a Kafka connection error', new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:59092')],
      ['Kafka retries exhausted', new KafkaJSNumberOfRetriesExceeded(new Error('broker gone'), { retryCount: 5, retryTime: 3000 })],
      ['a Kafka request timeout', new KafkaJSRequestTimeoutError('Request Produce(key: 0, version: 7) timed out')],
      ['a retriable Kafka protocol error', kafkaProtocolError('LEADER_NOT_AVAILABLE', 5, true)],
      ['an owner that did not answer in time', new DomainError('Unavailable', 'quota-guard did not answer')],
    ])('%s', (_label, error) => {
      expect(classifyFailure(error).kind).toBe('unavailable');
      expect(isRetryableFailure(error)).toBe(true);
    });

    it('names the dependency that is down', () => {
      expect(classifyFailure(viaTypeorm(pgError('57P01'))).dependency).toBe('postgres');
      expect(classifyFailure(new KafkaJSConnectionError('Connection error')).dependency).toBe('kafka');
      expect(classifyFailure(netError('ECONNREFUSED')).dependency).toBe('network');
    });

    it('an outage wrapped as the cause of another error is still an outage', () => {
      const wrapped = new Error('could not record the attempt', { cause: viaTypeorm(netError('ECONNRESET', 'read')) });
      expect(classifyFailure(wrapped).kind).toBe('unavailable');
    });
  });

  describe('concurrent work is contention: retried until it passes, never dead-lettered', () => {
    it.each([
      ['a serialization failure (40001)', viaTypeorm(pgError('40001', 'could not serialize access due to concurrent update'))],
      ['a deadlock (40P01)', viaTypeorm(pgError('40P01', 'deadlock detected'))],
      ['a lock timeout (55P03)', pgError('55P03')],
      ['an append that lost the optimistic-concurrency race', new StreamVersionConflict('endpoint-connection-vpce-1', 3)],
      ['a ConcurrentModification refusal', new DomainError('ConcurrentModification', 'changed meanwhile')],
    ])('%s', (_label, error) => {
      expect(classifyFailure(error).kind).toBe('contention');
      expect(isRetryableFailure(error)).toBe(true);
    });
  });

  describe('a message that can never pass is deterministic: a few tries, then the dead-letter topic', () => {
    it.each([
      [
        'an undecodable message',
        (() => {
          try {
            JSON.parse('{not json');
          } catch (e) {
            return e;
          }
        })(),
      ],
      ['a payload that fails its schema', z.object({ serviceId: z.string() }).safeParse({ serviceId: 7 }).error],
      ['a rule the message breaks', new DomainError('InvalidParameterValue', 'no such zone', 'subnetIds')],
      ['a unique violation (23505)', viaTypeorm(pgError('23505', 'duplicate key value violates unique constraint'))],
      ['a bad value for a column (22P02)', viaTypeorm(pgError('22P02', 'invalid input syntax for type uuid'))],
      ['a bug in the handler', new TypeError("Cannot read properties of undefined (reading 'serviceId')")],
      ['a message too large for Kafka', kafkaProtocolError('MESSAGE_TOO_LARGE', 10, false)],
      ['something thrown that is not an Error', 'boom'],
    ])('%s', (_label, error) => {
      expect(classifyFailure(error).kind).toBe('deterministic');
      expect(isRetryableFailure(error)).toBe(false);
    });

    it('a host name that does not exist at all is not mistaken for an outage unless the resolver was asked', () => {
      expect(
        classifyFailure(Object.assign(new Error('queryTxt ENOTFOUND x.example'), { code: 'ENOTFOUND', syscall: 'queryTxt' })).kind,
      ).toBe('deterministic');
      expect(classifyFailure(netError('ENOTFOUND', 'getaddrinfo')).kind).toBe('unavailable');
    });
  });
});

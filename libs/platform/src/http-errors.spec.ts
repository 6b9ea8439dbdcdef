import { z } from 'zod';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '@privatelink/domain';
import { StreamVersionConflict } from '@privatelink/eventstore';
import { domainErrorFromZod, toErrorResponse } from './http-errors';

describe('the error shape', () => {
  it('a domain error keeps its code, message and field with its status', () => {
    const r = toErrorResponse(new DomainError('InvalidVpcEndpointServiceId.NotFound', 'no such service', 'serviceId'), 'req-1');
    expect(r).toEqual({
      status: 404,
      body: {
        code: 'InvalidVpcEndpointServiceId.NotFound',
        message: 'no such service',
        requestId: 'req-1',
        field: 'serviceId',
        details: undefined,
      },
    });
  });

  it('an append conflict becomes a 409 ConcurrentModification', () => {
    expect(toErrorResponse(new StreamVersionConflict('s', 1), 'r')).toMatchObject({
      status: 409,
      body: { code: 'ConcurrentModification' },
    });
  });

  it('an unknown error is a 500 that reveals nothing of the internals', () => {
    const r = toErrorResponse(new Error('connection string postgres://secret@db'), 'r');
    expect(r.status).toBe(500);
    expect(JSON.stringify(r.body)).not.toMatch(/secret|stack|postgres/);
  });

  it('a database that is down is a 503 ServiceUnavailable with Retry-After, saying nothing of the internals', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect' });
    const r = toErrorResponse(refused, 'r', { retryAfterSeconds: 7 });
    expect(r).toMatchObject({ status: 503, body: { code: 'ServiceUnavailable', requestId: 'r' }, headers: { 'Retry-After': '7' } });
    expect(r.unavailable).toMatchObject({ kind: 'unavailable', dependency: 'network' });
    expect(JSON.stringify(r.body)).not.toMatch(/5432|ECONNREFUSED|127\.0\.0\.1/);
    const shutdown = new DatabaseError('terminating connection due to administrator command', 0, 'error');
    shutdown.code = '57P01';
    expect(toErrorResponse(new QueryFailedError('SELECT 1', [], shutdown), 'r')).toMatchObject({
      status: 503,
      headers: { 'Retry-After': '5' },
    });
  });

  it('an owner that did not answer in time is a 503 that asks to retry soon', () => {
    expect(toErrorResponse(new DomainError('Unavailable', 'quota-guard did not answer'), 'r')).toMatchObject({
      status: 503,
      headers: { 'Retry-After': '1' },
    });
  });

  it('a serialization failure is a 409 ConcurrentModification, not a 500', () => {
    const e = new DatabaseError('could not serialize access due to concurrent update', 0, 'error');
    e.code = '40001';
    expect(toErrorResponse(new QueryFailedError('UPDATE', [], e), 'r')).toMatchObject({
      status: 409,
      body: { code: 'ConcurrentModification' },
    });
  });

  it('body-parser errors become 400 and 413', () => {
    expect(toErrorResponse(Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed' }), 'r').status).toBe(400);
    expect(toErrorResponse(Object.assign(new Error('too big'), { type: 'entity.too.large' }), 'r').status).toBe(413);
  });

  it('a body that is not compressed as its Content-Encoding says is a 400 naming Content-Encoding, not a 500', () => {
    for (const code of ['Z_DATA_ERROR', 'ERR__ERROR_FORMAT_PADDING_2']) {
      const r = toErrorResponse(Object.assign(new Error('incorrect header check'), { code, status: 400 }), 'r');
      expect(r).toMatchObject({ status: 400, body: { code: 'InvalidParameterValue', field: 'Content-Encoding' } });
    }
  });

  it('a path whose %-encoding does not decode is a 400 naming the path', () => {
    expect(toErrorResponse(Object.assign(new URIError("Failed to decode param '%E0%A4%A'"), { status: 400 }), 'r')).toMatchObject({
      status: 400,
      body: { field: 'path' },
    });
  });

  it('every 400 names a field: one about the request as a whole names `request`', () => {
    expect(toErrorResponse(new DomainError('InvalidParameterValue', 'something about the whole request'), 'r').body.field).toBe('request');
    expect(toErrorResponse(Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed' }), 'r').body.field).toBe(
      'body',
    );
  });

  it('a schema violation names the field path', () => {
    const schema = z.object({ tags: z.array(z.object({ key: z.string() })) }).strict();
    const result = schema.safeParse({ tags: [{ key: 'a' }, { key: 7 }] });
    expect(result.success).toBe(false);
    const error = domainErrorFromZod(result.error!);
    expect(error.field).toBe('tags[1].key');
    expect(error.code).toBe('InvalidParameterValue');
  });

  it('an unknown field is named in the message and in field, with its path', () => {
    const result = z.object({ a: z.string() }).strict().safeParse({ a: 'x', colour: 'red' });
    expect(domainErrorFromZod(result.error!).message).toMatch(/unknown field "colour"/);
    expect(domainErrorFromZod(result.error!).field).toBe('colour');
    const nested = z
      .object({ subnets: z.array(z.object({ subnetId: z.string() }).strict()) })
      .strict()
      .safeParse({ subnets: [{ subnetId: 's', colour: 'red' }] });
    expect(domainErrorFromZod(nested.error!).field).toBe('subnets[0].colour');
  });

  it('a missing required field is MissingParameter', () => {
    const result = z.object({ loadBalancerArn: z.string() }).strict().safeParse({});
    expect(domainErrorFromZod(result.error!)).toMatchObject({ code: 'MissingParameter', field: 'loadBalancerArn' });
  });
});

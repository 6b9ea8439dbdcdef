import { DomainError } from '@privatelink/domain';
import { StringRulePipe, countRefusal } from './edge';
import { Metrics } from './metrics';
import { domainErrorFromZod } from './http-errors';
import { nameString, textString, z } from './openapi';

describe('the shared string schemas', () => {
  const schema = z.object({ key: nameString().max(8), note: textString().max(100).optional() }).strict();

  it('a name with a control character is refused naming the field', () => {
    const result = schema.safeParse({ key: 'a\tb' });
    expect(result.success).toBe(false);
    expect(domainErrorFromZod(result.error!)).toMatchObject({
      code: 'InvalidParameterValue',
      field: 'key',
      message: expect.stringMatching(/^key: contains a control character \(U\+0009\)/),
    });
  });

  it('free text keeps its line breaks but not a NUL', () => {
    expect(schema.safeParse({ key: 'k', note: 'one\ntwo' }).success).toBe(true);
    const result = schema.safeParse({ key: 'k', note: 'nul\u0000' });
    expect(domainErrorFromZod(result.error!)).toMatchObject({ field: 'note', message: expect.stringMatching(/NUL/) });
  });

  it('length limits still apply after the rule', () => {
    expect(schema.safeParse({ key: 'far-too-long' }).success).toBe(false);
  });
});

describe('the string rule pipe (every body, query string and path parameter)', () => {
  const pipe = new StringRulePipe();
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error as DomainError;
    }
    throw new Error('not refused');
  };

  it('a body string with a NUL is refused with its JSON path as the field', () => {
    const error = refusal(() => pipe.transform({ tags: [{ key: 'k', value: 'v\u0000' }] }, { type: 'body' }));
    expect(error).toMatchObject({ code: 'InvalidParameterValue', field: 'tags[0].value' });
  });

  it('a body may carry line breaks in free text (the route schema holds names stricter)', () => {
    expect(pipe.transform({ requestMessage: 'please\naccept' }, { type: 'body' })).toEqual({ requestMessage: 'please\naccept' });
  });

  it('a path parameter is a name: a NUL or a bidirectional override is refused naming the parameter', () => {
    expect(refusal(() => pipe.transform('vpce-\u0000', { type: 'param', data: 'vpcEndpointId' }))).toMatchObject({
      field: 'vpcEndpointId',
    });
    expect(refusal(() => pipe.transform('arn:\u202e', { type: 'param', data: 'loadBalancerArn' }))).toMatchObject({
      field: 'loadBalancerArn',
    });
  });

  it('a query string value or key is a name: the field is the parameter', () => {
    expect(refusal(() => pipe.transform({ 'filter.vpc-id': 'vpc-\u0000' }, { type: 'query' }))).toMatchObject({ field: 'filter.vpc-id' });
    expect(refusal(() => pipe.transform({ 'filter.vpc-id': ['ok', 'x\ud800'] }, { type: 'query' }))).toMatchObject({
      field: 'filter.vpc-id[1]',
    });
    expect(refusal(() => pipe.transform({ 'bad\u0001': 'x' }, { type: 'query' }))).toMatchObject({ field: 'query' });
  });

  it('what the rule allows passes unchanged, and custom parameters are not its business', () => {
    const ctx = { caller: 'x\u0000' };
    expect(pipe.transform(ctx, { type: 'custom' })).toBe(ctx);
    expect(pipe.transform({ 'filter.tag:Name': 'Ünïcødé 名前' }, { type: 'query' })).toEqual({ 'filter.tag:Name': 'Ünïcødé 名前' });
  });
});

describe('requests refused before routing', () => {
  it('are counted by reason; routed requests and served documents are not', async () => {
    const metrics = new Metrics();
    countRefusal(metrics, { route: undefined, refusedReason: 'method-not-allowed' } as never, 405);
    countRefusal(metrics, { route: undefined } as never, 404);
    countRefusal(metrics, { route: { path: '/x' } } as never, 400);
    countRefusal(metrics, { route: undefined } as never, 200);
    const text = await metrics.registry.getSingleMetricAsString('privatelink_http_requests_refused_total');
    expect(text).toMatch(/reason="method-not-allowed"} 1/);
    expect(text).toMatch(/reason="no-such-route"} 1/);
    expect(text).not.toMatch(/reason="other"/);
  });
});

import { spellOut, summarizeEvent } from './event-summary';

describe('history summaries', () => {
  it('says what a known event did in the API’s words', () => {
    expect(summarizeEvent('connectionFailed', { stateReason: 'QuotaExceeded', message: 'the VPC is full' })).toBe(
      'failed: QuotaExceeded (the VPC is full)',
    );
    expect(
      summarizeEvent('endpointServicePrincipalsAllowed', {
        allowedPrincipals: [{ principal: 'a' }, { principal: 'b' }, { principal: 'c' }, { principal: 'd' }],
      }),
    ).toBe('principals allowed: a, b, c and 1 more');
    expect(summarizeEvent('privateDnsNameVerificationFailed', { trigger: 'scheduled', reasonCode: 'RecordNotFound' })).toBe(
      'verification failed (scheduled): RecordNotFound',
    );
  });

  it('spells out an unknown event type with its state and reason', () => {
    expect(spellOut('endpointServiceTagsChanged')).toBe('endpoint service tags changed');
    expect(summarizeEvent('somethingNewHappened', { state: 'odd', reason: 'because' })).toBe(
      'something new happened: state odd, reason because',
    );
    expect(summarizeEvent('somethingNewHappened', {})).toBe('something new happened');
  });

  it('never fails on a payload without the fields it usually has', () => {
    expect(summarizeEvent('connectionRequested', {})).toBe('endpoint requested by ? in ?');
  });
});

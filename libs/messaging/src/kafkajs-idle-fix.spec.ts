import { applyKafkajsIdleFix } from './kafkajs-idle-fix';

const RequestQueue = require('kafkajs/src/network/requestQueue');

function queue() {
  return new RequestQueue({
    instrumentationEmitter: null,
    maxInFlightRequests: null,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: 'localhost:9092',
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, namespace: () => undefined },
    isConnected: () => true,
  });
}

describe('the kafkajs idle-loop fix', () => {
  beforeAll(() => expect(applyKafkajsIdleFix()).toBe(true));

  it('a connection with nothing pending and no throttle arms no timer (kafkajs 2.2.4 re-armed a 1 ms one forever)', () => {
    const q = queue();
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
    q.checkPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('a pending request still gets its check', () => {
    const q = queue();
    q.pending.push({});
    q.throttledUntil = Date.now() + 60_000;
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(q.throttleCheckTimeoutId);
  });

  it('a throttle in force still gets its check even with nothing pending', () => {
    const q = queue();
    q.throttledUntil = Date.now() + 60_000;
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(q.throttleCheckTimeoutId);
  });

  it('applying it twice changes nothing', () => {
    expect(applyKafkajsIdleFix()).toBe(true);
  });
});

/**
 * kafkajs 2.2.4 (the last release) spins on every broker connection: `RequestQueue.scheduleCheckPendingRequests`
 * re-arms a setTimeout with a negative delay (1 ms) even when no request waits, so each connection runs a
 * timer a thousand times a second forever (kafkajs issues #1556 and #1704, fix proposed in PR #1667, never
 * released). Measured here: an idle consumer cost 31 ms of CPU per second at 0.4 requests/s, about 3 % of
 * a core per connection pair; five services with a dozen consumers each burned over a core doing nothing.
 *
 * The fix skips the timer when nothing is pending and no throttle is in force: a new request is sent
 * at once or enqueued (which schedules a check), and every answer or timeout checks the queue again, so
 * no pending request is ever left without a check. Applied only when the method still has the faulty
 * shape, so a kafkajs release that fixes it is left alone.
 */
interface RequestQueueLike {
  pending: unknown[];
  throttledUntil: number;
}

interface RequestQueuePrototype {
  scheduleCheckPendingRequests(this: RequestQueueLike): void;
  __privatelinkIdleFix?: boolean;
}

export function applyKafkajsIdleFix(): boolean {
  let proto: RequestQueuePrototype;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    proto = (require('kafkajs/src/network/requestQueue') as { prototype: RequestQueuePrototype }).prototype;
  } catch {
    return false; // another layout: nothing to fix here
  }
  if (proto.__privatelinkIdleFix) return true;
  const original = proto.scheduleCheckPendingRequests;
  if (typeof original !== 'function' || !/this\.throttledUntil\s*-\s*Date\.now\(\)/.test(original.toString())) return false;
  proto.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueueLike) {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    original.call(this);
  };
  proto.__privatelinkIdleFix = true;
  return true;
}

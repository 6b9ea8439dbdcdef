/**
 * Retries `check` until it stops throwing (an assertion that holds) or the time is up, then throws its last
 * error. For what other processes make true asynchronously (projections fed through Kafka, workers). The
 * default bound is generous (a 2-core machine running other work): it costs nothing when the check holds.
 */
export async function eventually(check: () => Promise<unknown> | unknown, timeoutMs = 60_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}

/** Waits until `condition` is true (or the time is up: then it throws, naming `what`). */
export async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 60_000, what = 'condition'): Promise<void> {
  await eventually(async () => {
    if (!(await condition())) throw new Error(`${what} not met within ${timeoutMs} ms`);
  }, timeoutMs);
}

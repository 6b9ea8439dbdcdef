export interface TransportLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * Runs a handler up to `maxAttempts` times with a short exponential pause; when it keeps failing, hands
 * the message to `deadLetter` and returns, so one poison message never stops the consumer.
 */
export async function runWithRetries(
  handle: () => Promise<void>,
  maxAttempts: number,
  deadLetter: (error: unknown) => Promise<void>,
  logger: TransportLogger,
  context: object,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await handle();
      return;
    } catch (error) {
      if (attempt >= maxAttempts) {
        logger.error({ ...context, err: error, attempts: attempt }, 'message failed every attempt; sent to the dead-letter topic');
        await deadLetter(error);
        return;
      }
      logger.warn({ ...context, err: error, attempt }, 'message handler failed; retrying');
      await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** (attempt - 1), 2_000)));
    }
  }
}

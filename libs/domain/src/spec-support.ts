// Test support for the specs beside the code (no jest dependency, not exported from the index).
import { DomainError } from './errors';

/** Runs `fn` and returns the DomainError it threw; fails when it threw nothing or something else. */
export function caught(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

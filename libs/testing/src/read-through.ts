// A handle for what a test's beforeAll starts: a describe block names it at once, its tests read it later.

/**
 * An object whose properties `names` read through to the object `current` answers at each access (so a
 * handle made before the applications started answers for the running ones).
 */
export function readThrough<T, K extends keyof T>(current: () => T, names: readonly K[]): Pick<T, K> {
  const handle = {} as Pick<T, K>;
  for (const name of names) Object.defineProperty(handle, name, { enumerable: true, get: () => current()[name] });
  return handle;
}

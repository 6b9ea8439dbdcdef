/** The narrow query surface every Postgres adapter uses: a TypeORM DataSource, EntityManager or QueryRunner all fit. */
export interface Sql {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/** Postgres error codes the adapters react to. */
export const pgErrorCodes = { uniqueViolation: '23505', serializationFailure: '40001', deadlockDetected: '40P01' } as const;

export function pgErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A schema name is interpolated into DDL, so it is checked, never escaped. */
export function assertSqlIdentifier(name: string, what = 'identifier'): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`${what} "${name}" must match [a-z_][a-z0-9_]*`);
  return name;
}

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DomainError } from '@privatelink/domain';

export type Role = 'provider' | 'consumer' | 'ops';

/** Who is calling: resolved from the bearer API key. */
export interface Caller {
  principal: string;
  accountId: string;
  role: Role;
  name: string;
}

const principalArn = /^arn:aws:iam::(\d{12}):(root|user\/[A-Za-z0-9+=,.@_-]{1,64}|role\/[A-Za-z0-9+=,.@_-]{1,64})$/;

const fileSchema = z.object({
  principals: z
    .array(
      z
        .object({
          name: z.string().min(1),
          // A plain key is fine for the demo file; real deployments store only the SHA-256 of the key.
          apiKey: z.string().min(16).optional(),
          apiKeySha256: z
            .string()
            .regex(/^[0-9a-f]{64}$/)
            .optional(),
          principal: z.string().regex(principalArn, 'must be an IAM principal ARN (…:root, …:user/name or …:role/name)'),
          role: z.enum(['provider', 'consumer', 'ops']),
        })
        .strict()
        .refine((p) => (p.apiKey === undefined) !== (p.apiKeySha256 === undefined), 'give exactly one of apiKey or apiKeySha256'),
    )
    .min(1),
});

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Bearer API keys → principals, held only as SHA-256 hashes. */
export class PrincipalDirectory {
  private readonly byKeyHash = new Map<string, Caller>();
  readonly demoKeys: Array<{ name: string; role: Role; apiKey: string; principal: string }> = [];

  constructor(entries: z.infer<typeof fileSchema>['principals']) {
    for (const e of entries) {
      const hash = e.apiKeySha256 ?? sha256(e.apiKey!);
      if (this.byKeyHash.has(hash)) throw new Error(`principals file: two principals share one API key (${e.name})`);
      const accountId = principalArn.exec(e.principal)![1];
      this.byKeyHash.set(hash, { principal: e.principal, accountId, role: e.role, name: e.name });
      if (e.apiKey) this.demoKeys.push({ name: e.name, role: e.role, apiKey: e.apiKey, principal: e.principal });
    }
  }

  static fromFile(path: string): PrincipalDirectory {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`PRIVATELINK_PRINCIPALS_FILE: cannot read ${path}: ${(error as Error).message}`);
    }
    const parsed = fileSchema.safeParse(raw);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new Error(`PRIVATELINK_PRINCIPALS_FILE: ${path}: ${i.path.join('.')}: ${i.message}`);
    }
    return new PrincipalDirectory(parsed.data.principals);
  }

  /** The caller for an Authorization header, or AuthFailure (401). */
  authenticate(authorization: string | undefined): Caller {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw new DomainError('AuthFailure', 'missing bearer API key: send "Authorization: Bearer <key>"');
    const caller = this.byKeyHash.get(sha256(match[1]));
    if (!caller) throw new DomainError('AuthFailure', 'the API key is not valid');
    return caller;
  }
}

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
          // SigV4 credentials of the wire APIs (EC2 Query, ELBv2): an access key id with its secret, given
          // in the file (demo) or read from the environment variable secretAccessKeyEnv names.
          accessKeyId: z
            .string()
            .regex(/^[A-Z0-9]{16,128}$/, 'must be 16 to 128 upper-case letters and digits')
            .optional(),
          secretAccessKey: z.string().min(16).optional(),
          secretAccessKeyEnv: z
            .string()
            .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
            .optional(),
        })
        .strict()
        .refine((p) => (p.apiKey === undefined) !== (p.apiKeySha256 === undefined), 'give exactly one of apiKey or apiKeySha256')
        .refine(
          (p) =>
            p.accessKeyId === undefined
              ? p.secretAccessKey === undefined && p.secretAccessKeyEnv === undefined
              : (p.secretAccessKey === undefined) !== (p.secretAccessKeyEnv === undefined),
          'an accessKeyId needs exactly one of secretAccessKey or secretAccessKeyEnv (and neither goes without it)',
        ),
    )
    .min(1),
});

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A principal's SigV4 access key: the secret the wire APIs verify signatures with. */
export interface AccessKey {
  caller: Caller;
  secretAccessKey: string;
}

/** Bearer API keys → principals, held only as SHA-256 hashes; SigV4 access key ids → principals and secrets. */
export class PrincipalDirectory {
  private readonly byKeyHash = new Map<string, Caller>();
  private readonly byAccessKeyId = new Map<string, AccessKey>();
  /** The keys written in the file itself (the demo file), for `npm start` to print. */
  readonly demoKeys: Array<{
    name: string;
    role: Role;
    apiKey: string;
    principal: string;
    accessKeyId?: string;
    secretAccessKey?: string;
  }> = [];

  constructor(entries: z.infer<typeof fileSchema>['principals'], env: NodeJS.ProcessEnv = process.env) {
    for (const e of entries) {
      const hash = e.apiKeySha256 ?? sha256(e.apiKey!);
      if (this.byKeyHash.has(hash)) throw new Error(`principals file: two principals share one API key (${e.name})`);
      const accountId = principalArn.exec(e.principal)![1];
      const caller: Caller = { principal: e.principal, accountId, role: e.role, name: e.name };
      this.byKeyHash.set(hash, caller);
      if (e.accessKeyId) {
        if (this.byAccessKeyId.has(e.accessKeyId)) throw new Error(`principals file: two principals share one accessKeyId (${e.name})`);
        const secretAccessKey = e.secretAccessKey ?? env[e.secretAccessKeyEnv!];
        if (!secretAccessKey)
          throw new Error(`principals file: ${e.name}: the environment variable ${e.secretAccessKeyEnv} (secretAccessKeyEnv) is not set`);
        this.byAccessKeyId.set(e.accessKeyId, { caller, secretAccessKey });
      }
      if (e.apiKey) {
        const plainSecret = e.accessKeyId && e.secretAccessKey ? { accessKeyId: e.accessKeyId, secretAccessKey: e.secretAccessKey } : {};
        this.demoKeys.push({ name: e.name, role: e.role, apiKey: e.apiKey, principal: e.principal, ...plainSecret });
      }
    }
  }

  /** The principal and secret of a SigV4 access key id, or undefined when no principal has it. */
  accessKey(accessKeyId: string): AccessKey | undefined {
    return this.byAccessKeyId.get(accessKeyId);
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

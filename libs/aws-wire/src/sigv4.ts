// SigV4 verification of a wire API request (`Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…,
// Signature=…`): the request is signed again with @smithy/signature-v4, the signer the SDKs use, from the
// headers the client signed and the secret key of its access key id, and the two signatures are compared.
// Checked first: the credential scope (date of X-Amz-Date, this system's region, the service of the action's
// model, aws4_request) and the clock skew (15 minutes). Every refusal is a WireError, never a 500.
import { createHash, createHmac, Hash, Hmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { WireError } from './errors';

/** A request as received: the raw path and query string, the headers, the raw body. */
export interface ReceivedRequest {
  method: string;
  /** The path as sent (percent-encoded), without the query string. */
  path: string;
  /** The query string as sent, without `?`. */
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface SigV4Options {
  /** The region of this system: the only one a credential scope may name. */
  region: string;
  /** The signing name of the action's service (`ec2`, `elasticloadbalancing`). */
  service: string;
  /** The secret access key of an access key id, or undefined when the id is not known. */
  secretOf: (accessKeyId: string) => string | undefined;
  now?: Date;
  /** Largest accepted difference between X-Amz-Date and now (default 15 minutes, as AWS). */
  maxSkewMs?: number;
  /** The code of an unknown access key id: EC2 answers AuthFailure, the query services InvalidClientTokenId. */
  unknownKeyCode?: string;
}

export interface VerifiedSignature {
  accessKeyId: string;
  region: string;
  service: string;
}

const AUTH = /^AWS4-HMAC-SHA256\s+(.*)$/s;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** node:crypto's SHA-256 / HMAC-SHA-256 in the shape the signer takes (its `sha256` constructor). */
class Sha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key =
      typeof this.secret === 'string'
        ? this.secret
        : ArrayBuffer.isView(this.secret)
          ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength)
          : Buffer.from(this.secret);
    return createHmac('sha256', key);
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(
      typeof data === 'string'
        ? data
        : ArrayBuffer.isView(data)
          ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
          : Buffer.from(data),
    );
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

function header(headers: ReceivedRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** `Credential=…, SignedHeaders=…, Signature=…` → its parts, or IncompleteSignature. */
function parseAuthorization(value: string): { credential: string[]; signedHeaders: string[]; signature: string } {
  const match = AUTH.exec(value.trim());
  if (!match)
    throw new WireError('IncompleteSignature', 'the Authorization header is not AWS4-HMAC-SHA256 (sign the request with SigV4)', 400);
  const parts = new Map<string, string>();
  for (const part of match[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) parts.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = parts.get('Credential');
  const signedHeaders = parts.get('SignedHeaders');
  const signature = parts.get('Signature');
  const missing = [!credential && 'Credential', !signedHeaders && 'SignedHeaders', !signature && 'Signature'].filter(Boolean);
  if (missing.length) throw new WireError('IncompleteSignature', `the Authorization header lacks ${missing.join(', ')}`, 400);
  const scope = credential!.split('/');
  if (scope.length !== 5 || scope.some((s) => s === ''))
    throw new WireError('IncompleteSignature', 'Credential must be <access key id>/<date>/<region>/<service>/aws4_request', 400);
  if (!/^[0-9a-f]{64}$/.test(signature!)) throw new WireError('IncompleteSignature', 'Signature must be 64 hexadecimal digits', 400);
  return { credential: scope, signedHeaders: signedHeaders!.split(';').map((h) => h.trim().toLowerCase()), signature: signature! };
}

function parseQuery(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new WireError('SignatureDoesNotMatch', 'the query string has a %-encoding that is not valid UTF-8', 403);
  }
}

/** Verifies the request's SigV4 signature; resolves to the access key id, or rejects with a WireError. */
export async function verifySigV4(req: ReceivedRequest, options: SigV4Options): Promise<VerifiedSignature> {
  const authorization = header(req.headers, 'authorization');
  if (!authorization) throw new WireError('AuthFailure', 'the request is not signed: sign it with AWS Signature Version 4', 401);
  if (/^Bearer\s/i.test(authorization))
    throw new WireError(
      'AuthFailure',
      'a bearer API key is for the REST API; sign wire API requests with SigV4 (access key id and secret)',
      401,
    );
  const { credential, signedHeaders, signature } = parseAuthorization(authorization);
  const [accessKeyId, shortDate, region, service, terminator] = credential;

  const amzDate = header(req.headers, 'x-amz-date');
  const m = amzDate ? AMZ_DATE.exec(amzDate) : null;
  if (!m) throw new WireError('IncompleteSignature', 'the request needs an X-Amz-Date header (yyyyMMddTHHmmssZ)', 400);
  const signingDate = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  if (Number.isNaN(signingDate.getTime())) throw new WireError('IncompleteSignature', `X-Amz-Date ${amzDate} is not a date`, 400);
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date'))
    throw new WireError('IncompleteSignature', 'SignedHeaders must include host and x-amz-date', 400);
  if (terminator !== 'aws4_request') throw new WireError('IncompleteSignature', 'the credential scope must end with aws4_request', 400);
  if (shortDate !== amzDate!.slice(0, 8))
    throw new WireError('SignatureDoesNotMatch', `the credential scope date ${shortDate} is not the date of X-Amz-Date ${amzDate}`, 403);
  if (region !== options.region)
    throw new WireError('SignatureDoesNotMatch', `Credential should be scoped to a valid region: ${options.region}, not '${region}'`, 403);
  if (service !== options.service)
    throw new WireError(
      'SignatureDoesNotMatch',
      `Credential should be scoped to correct service: '${options.service}', not '${service}'`,
      403,
    );

  const now = options.now ?? new Date();
  const skew = Math.abs(now.getTime() - signingDate.getTime());
  if (skew > (options.maxSkewMs ?? 15 * 60_000)) {
    throw new WireError(
      'RequestExpired',
      `Request has expired: X-Amz-Date ${amzDate} is more than 15 minutes from the server's time ${now.toISOString()}`,
      400,
    );
  }

  const secretAccessKey = options.secretOf(accessKeyId);
  if (secretAccessKey === undefined) {
    throw new WireError(options.unknownKeyCode ?? 'AuthFailure', 'AWS was not able to validate the provided access credentials');
  }

  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    if (name === 'x-amz-date') continue; // the signer writes it from signingDate
    const value = header(req.headers, name);
    if (value === undefined) throw new WireError('SignatureDoesNotMatch', `the signed header ${name} is not in the request`, 403);
    headers[name] = value;
  }
  const bodyHash = createHash('sha256').update(req.body).digest('hex');
  const claimed = headers['x-amz-content-sha256'];
  if (claimed !== undefined && claimed !== bodyHash) {
    throw new WireError('SignatureDoesNotMatch', 'X-Amz-Content-SHA256 is not the SHA-256 of the body', 403);
  }
  let path: string;
  try {
    path = req.path.split('/').map(decodeURIComponent).join('/');
  } catch {
    throw new WireError('SignatureDoesNotMatch', 'the path has a %-encoding that is not valid UTF-8', 403);
  }
  const signer = new SignatureV4({ credentials: { accessKeyId, secretAccessKey }, region, service, sha256: Sha256, applyChecksum: false });
  const signed = await signer.sign(
    {
      method: req.method.toUpperCase(),
      protocol: 'http:',
      hostname: headers.host ?? '',
      path,
      query: parseQuery(req.query),
      headers,
      body: req.body,
    },
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))![1];
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
    throw new WireError(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      403,
    );
  }
  return { accessKeyId, region, service };
}

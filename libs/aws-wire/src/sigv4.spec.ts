import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { ReceivedRequest, verifySigV4, WireError } from './index';

// Requests signed by the real signer the SDKs use, then verified as the server receives them.
class Sha256 {
  private readonly h;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView) {
    this.h.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
}

const bytes = (d: string | ArrayBuffer | ArrayBufferView) =>
  typeof d === 'string' ? Buffer.from(d) : ArrayBuffer.isView(d) ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : Buffer.from(d);

const KEY = { accessKeyId: 'AKIADEMOPROVIDER0001', secretAccessKey: 'demo-provider-secret-access-key-0001' };
const NOW = new Date(Date.UTC(2026, 11, 3, 17, 0, 0));
const BODY = 'Action=DescribeVpcEndpointServiceConfigurations&Version=2016-11-15&ServiceId.1=vpce-svc-1';
const secretOf = (id: string) => (id === KEY.accessKeyId ? KEY.secretAccessKey : undefined);

async function signed(
  opts: {
    region?: string;
    service?: string;
    date?: Date;
    body?: string;
    key?: typeof KEY;
    query?: Record<string, string>;
    method?: string;
    extra?: Record<string, string>;
  } = {},
): Promise<ReceivedRequest> {
  const body = opts.body ?? BODY;
  const signer = new SignatureV4({
    credentials: opts.key ?? KEY,
    region: opts.region ?? 'us-east-1',
    service: opts.service ?? 'ec2',
    sha256: Sha256,
  });
  const request = await signer.sign(
    {
      method: opts.method ?? 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 8080,
      path: '/',
      query: opts.query ?? {},
      headers: {
        host: '127.0.0.1:8080',
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        'user-agent': 'aws-cli/1.46',
        ...opts.extra,
      },
      body,
    },
    { signingDate: opts.date ?? NOW },
  );
  const query = Object.entries(request.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return { method: request.method, path: request.path, query, headers: { ...request.headers }, body: Buffer.from(body) };
}

async function refusal(req: ReceivedRequest, options: Partial<Parameters<typeof verifySigV4>[1]> = {}) {
  try {
    await verifySigV4(req, { region: 'us-east-1', service: 'ec2', secretOf, now: NOW, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(WireError);
    const e = error as WireError;
    return { code: e.code, status: e.status };
  }
  throw new Error('expected a refusal');
}

describe('SigV4 verification', () => {
  const verify = (req: ReceivedRequest, now = NOW) => verifySigV4(req, { region: 'us-east-1', service: 'ec2', secretOf, now });

  it('accepts a request signed by @smithy/signature-v4 and names its access key id', async () => {
    await expect(verify(await signed())).resolves.toEqual({ accessKeyId: KEY.accessKeyId, region: 'us-east-1', service: 'ec2' });
  });

  it('accepts a GET with the parameters in the query string', async () => {
    const req = await signed({
      method: 'GET',
      body: '',
      query: { Action: 'DescribeVpcs', Version: '2016-11-15', 'Filter.1.Name': 'tag:team', 'Filter.1.Value.1': 'a b/c' },
    });
    await expect(verify(req)).resolves.toMatchObject({ accessKeyId: KEY.accessKeyId });
  });

  it('accepts a signed X-Amz-Content-SHA256 that is the hash of the body, refuses one that is not', async () => {
    const hash = createHash('sha256').update(BODY).digest('hex');
    await expect(verify(await signed({ extra: { 'x-amz-content-sha256': hash } }))).resolves.toBeDefined();
    const req = await signed({ extra: { 'x-amz-content-sha256': hash } });
    req.body = Buffer.from(`${BODY}&ServiceId.2=vpce-svc-2`);
    expect(await refusal(req)).toEqual({ code: 'SignatureDoesNotMatch', status: 403 });
  });

  it('accepts a clock 14 minutes off, refuses 16 minutes with RequestExpired', async () => {
    await expect(verify(await signed({ date: new Date(NOW.getTime() - 14 * 60_000) }))).resolves.toBeDefined();
    await expect(verify(await signed({ date: new Date(NOW.getTime() + 14 * 60_000) }))).resolves.toBeDefined();
    expect(await refusal(await signed({ date: new Date(NOW.getTime() - 16 * 60_000) }))).toEqual({ code: 'RequestExpired', status: 400 });
    expect(await refusal(await signed({ date: new Date(NOW.getTime() + 16 * 60_000) }))).toEqual({ code: 'RequestExpired', status: 400 });
  });

  it('refuses an unknown access key id with AuthFailure (401), or the code the service asks for', async () => {
    const req = await signed({ key: { accessKeyId: 'AKIANOBODY0000000001', secretAccessKey: 'x' } });
    expect(await refusal(req)).toEqual({ code: 'AuthFailure', status: 401 });
    expect(await refusal(req, { unknownKeyCode: 'InvalidClientTokenId' })).toEqual({ code: 'InvalidClientTokenId', status: 403 });
  });

  it('refuses a wrong secret, a changed body, a changed header and a changed query with SignatureDoesNotMatch', async () => {
    expect(await refusal(await signed({ key: { ...KEY, secretAccessKey: 'not-the-secret' } }))).toEqual({
      code: 'SignatureDoesNotMatch',
      status: 403,
    });
    const body = await signed();
    body.body = Buffer.from(BODY.replace('vpce-svc-1', 'vpce-svc-2'));
    expect(await refusal(body)).toEqual({ code: 'SignatureDoesNotMatch', status: 403 });
    const hdr = await signed();
    hdr.headers['content-type'] = 'text/plain';
    expect(await refusal(hdr)).toEqual({ code: 'SignatureDoesNotMatch', status: 403 });
    const q = await signed({ method: 'GET', body: '', query: { Action: 'DescribeVpcs', Version: '2016-11-15' } });
    q.query += '&VpcId.1=vpc-1';
    expect(await refusal(q)).toEqual({ code: 'SignatureDoesNotMatch', status: 403 });
  });

  it('refuses a credential scope of another region or service', async () => {
    expect(await refusal(await signed({ region: 'eu-west-1' }))).toEqual({ code: 'SignatureDoesNotMatch', status: 403 });
    expect(await refusal(await signed({ service: 'elasticloadbalancing' }))).toEqual({ code: 'SignatureDoesNotMatch', status: 403 });
    // Signed for ELBv2 and verified as ELBv2: fine.
    await expect(
      verifySigV4(await signed({ service: 'elasticloadbalancing' }), {
        region: 'us-east-1',
        service: 'elasticloadbalancing',
        secretOf,
        now: NOW,
      }),
    ).resolves.toBeDefined();
  });

  it('refuses an unsigned request, a bearer key and a malformed header without a 500', async () => {
    const req = await signed();
    const cases: Array<[string | undefined, string, number]> = [
      [undefined, 'AuthFailure', 401],
      ['Bearer demo-provider-key-0001', 'AuthFailure', 401],
      ['AWS4-HMAC-SHA256 Credential=AKIADEMOPROVIDER0001/20261203/us-east-1/ec2/aws4_request', 'IncompleteSignature', 400],
      ['AWS4-HMAC-SHA256 Credential=AKIA/x, SignedHeaders=host;x-amz-date, Signature=' + '0'.repeat(64), 'IncompleteSignature', 400],
      [
        'AWS4-HMAC-SHA256 Credential=AKIADEMOPROVIDER0001/20261203/us-east-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=xyz',
        'IncompleteSignature',
        400,
      ],
      ['AWS3 whatever', 'IncompleteSignature', 400],
      [String(req.headers.authorization).replace('20261203', '20261202'), 'SignatureDoesNotMatch', 403],
      [
        String(req.headers.authorization).replace(/SignedHeaders=[^,]*/, 'SignedHeaders=content-type;x-amz-date'),
        'IncompleteSignature',
        400,
      ],
      [
        String(req.headers.authorization).replace(/SignedHeaders=[^,]*/, 'SignedHeaders=host;x-amz-date;x-missing'),
        'SignatureDoesNotMatch',
        403,
      ],
    ];
    for (const [authorization, code, status] of cases) {
      expect({ authorization, ...(await refusal({ ...req, headers: { ...req.headers, authorization } })) }).toEqual({
        authorization,
        code,
        status,
      });
    }
    expect(await refusal({ ...req, headers: { ...req.headers, 'x-amz-date': 'yesterday' } })).toEqual({
      code: 'IncompleteSignature',
      status: 400,
    });
  });
});

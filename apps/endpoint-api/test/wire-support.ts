// The wire API tests' clients: the demo principals' SigV4 key pairs, @aws-sdk/client-ec2 on the test host, and a
// raw signed POST (the SDK's own signer) for looking at the XML as it is sent.
import { EC2Client } from '@aws-sdk/client-ec2';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { BotocoreModel, botocoreModel, readThrough } from '@privatelink/testing';

export const WIRE_KEYS = {
  provider: { accessKeyId: 'AKIADEMOPROVIDER0001', secretAccessKey: 'demo-provider-secret-access-key-0001' },
  otherProvider: { accessKeyId: 'AKIAOTHERPROVIDER001', secretAccessKey: 'other-provider-secret-access-key-0001' },
  consumer: { accessKeyId: 'AKIADEMOCONSUMER0001', secretAccessKey: 'demo-consumer-secret-access-key-0001' },
  otherConsumer: { accessKeyId: 'AKIAOTHERCONSUMER001', secretAccessKey: 'other-consumer-secret-access-key-0001' },
  ops: { accessKeyId: 'AKIADEMOOPS000000001', secretAccessKey: 'demo-ops-secret-access-key-0001' },
};
export type WireKey = keyof typeof WIRE_KEYS;

export const ec2Client = (endpoint: string, key: WireKey) =>
  new EC2Client({ endpoint, region: 'us-east-1', credentials: WIRE_KEYS[key], maxAttempts: 1 });

/** EC2 Query form parameters with the version. */
export const ec2Form = (params: Record<string, string>) => new URLSearchParams({ Version: '2016-11-15', ...params }).toString();

/** A POST / signed with SigV4 by @smithy/signature-v4 (with the SDK's own Node SHA-256); answers the status, the XML and the headers. */
export async function signedPost(
  endpoint: string,
  body: string,
  opts: {
    key?: { accessKeyId: string; secretAccessKey: string };
    region?: string;
    service?: string;
    date?: Date;
    headers?: Record<string, string>;
  } = {},
) {
  const url = new URL(endpoint);
  const signer = new SignatureV4({
    credentials: opts.key ?? WIRE_KEYS.provider,
    region: opts.region ?? 'us-east-1',
    service: opts.service ?? 'ec2',
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...opts.headers },
      body,
    },
    { signingDate: opts.date ?? new Date() },
  );
  const res = await fetch(`${endpoint}/`, { method: 'POST', headers: signed.headers as Record<string, string>, body });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** What a wire test starts: endpoint-api (its listener serves the wire APIs), alone or with the other applications. */
type Listening = { host: { url: string } };
type WireApps = { close(): Promise<void> } & (Listening | { api: Listening });

/**
 * A wire test's target for the tests of the enclosing block (or file): the applications `start` returns (closed
 * after those tests), the URL of endpoint-api's listener and botocore's model of `service` to check answers against;
 * with the EC2 client and the raw signed POST on that listener.
 */
export function wireTarget<T extends WireApps>(service: Parameters<typeof botocoreModel>[0], start: () => Promise<T>) {
  let ready: { app: T; endpoint: string; model: BotocoreModel } | undefined;
  beforeAll(async () => {
    const app: T = await start();
    const edge: Listening = 'api' in app ? app.api : (app as Listening);
    ready = { app, endpoint: edge.host.url, model: await botocoreModel(service) };
  }, 300_000);
  afterAll(async () => {
    await ready?.app.close();
  });
  const running = () => {
    if (!ready) throw new Error(`the ${service} wire target is not running (used outside its block's tests?)`);
    return ready;
  };
  return Object.assign(readThrough(running, ['app', 'endpoint', 'model']), {
    /** @aws-sdk/client-ec2 as the caller holding `key`. */
    ec2: (key: WireKey) => ec2Client(running().endpoint, key),
    /** A raw signed POST (see signedPost). */
    post: (body: string, opts?: Parameters<typeof signedPost>[2]) => signedPost(running().endpoint, body, opts),
  });
}

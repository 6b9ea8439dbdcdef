// An SNS/SQS-compatible endpoint for integration tests: PRIVATELINK_TEST_SNS_ENDPOINT, else moto's
// server from scripts/infra/moto.sh (http://127.0.0.1:54566). Always the script, Docker or not:
// moto comes from PyPI and needs nothing but python3.
import { join } from 'node:path';
import { infraScript, repoRoot, run } from './infra';

export interface SnsInfo {
  endpoint: string;
  region: string;
  /** moto accepts any credentials; these are what the helpers and the aws CLI use. */
  credentials: { accessKeyId: string; secretAccessKey: string };
}

const REGION = process.env.PRIVATELINK_TEST_AWS_REGION ?? 'us-east-1';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Makes sure moto's server runs and returns its endpoint (state is in memory: empty after a restart). */
export async function startSns(): Promise<SnsInfo> {
  const fromEnv = process.env.PRIVATELINK_TEST_SNS_ENDPOINT;
  const endpoint = fromEnv || (await infraScript('moto', 'start'));
  if (!/^https?:\/\//.test(endpoint)) throw new Error(`moto.sh start printed no endpoint: ${endpoint}`);
  return { endpoint, region: REGION, credentials: { ...CREDENTIALS } };
}

let venv: Promise<string> | undefined;

/**
 * Runs the aws CLI (installed by moto.sh into .cache/venv) against `sns.endpoint` and returns its
 * stdout parsed as JSON (or null when it printed nothing). For tests without @aws-sdk clients:
 *   await awsCli(sns, ['sns', 'create-topic', '--name', 'events'])  // => { TopicArn: ... }
 */
export async function awsCli(sns: SnsInfo, args: string[]): Promise<unknown> {
  venv ??= infraScript('moto', 'venv');
  const aws = join(await venv, 'bin', 'aws');
  const { stdout } = await run(aws, ['--endpoint-url', sns.endpoint, '--region', sns.region, '--output', 'json', ...args], {
    cwd: repoRoot(),
    timeoutMs: 60_000,
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: sns.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sns.credentials.secretAccessKey,
      AWS_DEFAULT_REGION: sns.region,
      AWS_PAGER: '',
    },
  });
  return stdout.trim() ? JSON.parse(stdout) : null;
}

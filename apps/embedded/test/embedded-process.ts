import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/**
 * `npm start` as an operator meets it: the embedded default spawned as its own process (from the sources,
 * through scripts/ts-register.js), on ports of its own and a fresh data folder made by `mktemp -d`-like
 * means (mode 700: only its owner may enter it).
 */
export const ROOT = resolve(__dirname, '../../..');

export interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function startEmbedded(env: Record<string, string>): Run {
  // The embedded default: no database URL (it starts its own PostgreSQL), logs at info to see every warning.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PRIVATELINK_')));
  const child = spawn(process.execPath, ['-r', './scripts/ts-register.js', 'apps/embedded/src/main.ts'], {
    cwd: ROOT,
    env: { ...inherited, PRIVATELINK_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (err += c));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

export async function status(url: string): Promise<number | 'down'> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(5_000) })).status;
  } catch {
    return 'down';
  }
}

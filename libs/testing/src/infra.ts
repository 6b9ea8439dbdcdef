// How libs/testing reaches real servers: the repository's scripts/infra/*.sh (the default: no
// Docker engine on our machines), or testcontainers when a Docker engine answers `docker info`.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root: the nearest folder above this file that holds scripts/infra/up.sh. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'scripts', 'infra', 'up.sh'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`libs/testing: no scripts/infra/up.sh above ${__dirname}`);
    dir = parent;
  }
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a program; rejects with its stderr in the message when it exits non-zero. */
export function run(
  file: string,
  args: string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        cwd: options.cwd ?? repoRoot(),
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 15 * 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        if (err) {
          const e = new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${stderr}`.trim());
          reject(Object.assign(e, { stdout, stderr }));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}

/**
 * Runs scripts/infra/<service>.sh with the given arguments and returns the last line it printed on
 * stdout (the scripts print their URL/address last). The first start on a fresh machine installs
 * packages and may take minutes; later ones return in well under a second.
 */
export async function infraScript(service: string, ...args: string[]): Promise<string> {
  return infraScriptWith(process.env, service, ...args);
}

/** infraScript with an environment of its own (another runtime folder and ports: see OwnInfra). */
export async function infraScriptWith(env: NodeJS.ProcessEnv, service: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('bash', [join(repoRoot(), 'scripts', 'infra', `${service}.sh`), ...args], { env });
  const lines = stdout.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

let dockerCheck: Promise<boolean> | undefined;

/**
 * Whether to use testcontainers: PRIVATELINK_TEST_INFRA=containers forces it, =scripts forbids it;
 * otherwise only when a Docker engine answers `docker info` (a docker client alone is not enough).
 */
export function useContainers(): Promise<boolean> {
  const mode = process.env.PRIVATELINK_TEST_INFRA;
  if (mode === 'containers') return Promise.resolve(true);
  if (mode === 'scripts') return Promise.resolve(false);
  dockerCheck ??= run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 10_000 }).then(
    (r) => r.stdout.trim().length > 0,
    () => false,
  );
  return dockerCheck;
}

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

// No import circles inside an app (issue 11): handlers, consumers and schedulers take narrow ports from the
// service's `wire`, they never import the service that wires them. The check reads the sources as text:
// every relative `import ... from` / `export ... from` (type-only imports too: a circle of types is still
// a circle of knowledge) between the files of one app's src.

const root = resolve(__dirname, '../../..');

function sourcesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourcesOf(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const targets: string[] = [];
  for (const match of text.matchAll(/(?:import|export)\s[^'"`;]*?from\s+['"](\.[^'"]+)['"]/g)) {
    const base = resolve(dirname(file), match[1]);
    const target = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
    if (target) targets.push(target);
  }
  return targets;
}

/** Every cycle found (each once, as the files around it, relative to the repository). */
export function importCycles(dir: string): string[][] {
  const files = sourcesOf(dir);
  const edges = new Map(files.map((f) => [f, importsOf(f)]));
  const cycles = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = path.slice(path.indexOf(next)).map((f) => relative(root, f));
        cycles.set([...cycle].sort().join(' '), cycle);
      } else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return [...cycles.values()];
}

describe('import cycles', () => {
  it.each(['connection-broker', 'dns-verifier', 'notifier', 'quota-guard'])('apps/%s/src has none', (app) => {
    expect(importCycles(join(root, 'apps', app, 'src'))).toEqual([]);
  });

  it('finds a circle, type-only imports included, and nothing in a tree without one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
    try {
      mkdirSync(join(dir, 'handlers'));
      writeFileSync(join(dir, 'core.ts'), "import { handle } from './handlers/handler';\nexport const core = handle;\n");
      writeFileSync(join(dir, 'handlers', 'handler.ts'), "import type { Core } from '../core';\nexport const handle = 1;\n");
      writeFileSync(join(dir, 'leaf.ts'), 'export const leaf = 1;\n');
      expect(importCycles(dir).map((c) => c.map((f) => f.split('/').slice(-2).join('/')))).toEqual([
        [expect.stringMatching(/core\.ts$/), 'handlers/handler.ts'],
      ]);
      writeFileSync(join(dir, 'handlers', 'handler.ts'), "import { leaf } from '../leaf';\nexport const handle = leaf;\n");
      expect(importCycles(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

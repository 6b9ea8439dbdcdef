// ESLint (flat config): typescript-eslint's recommended rules, Nx's module boundaries, and
// eslint-config-prettier last so that no rule argues with the formatter. `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

const apps = ['endpoint-api', 'connection-broker', 'dns-verifier', 'notifier', 'quota-guard'];

/**
 * The dependency direction (DESIGN.md section 2), from the tags in each project.json:
 * apps → libs, never app → app; libs/domain depends on nothing; contracts on nothing but domain;
 * the infrastructure libs (eventstore, messaging, projections, platform) on contracts, domain and each
 * other; libs/testing (test infrastructure) on anything but apps.
 */
const depConstraints = [
  { sourceTag: 'scope:domain', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:contracts', onlyDependOnLibsWithTags: ['scope:domain'] },
  { sourceTag: 'scope:infra', onlyDependOnLibsWithTags: ['scope:domain', 'scope:contracts', 'scope:infra'] },
  { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['scope:domain', 'scope:contracts', 'scope:infra', 'scope:testing'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  // The embedded run is the composition root: it hosts the five service apps in one process.
  { sourceTag: 'scope:composition', onlyDependOnLibsWithTags: ['type:lib', 'type:app'] },
];

/** Tests may also use the test infrastructure (libs/testing) and test a lib through its public name. */
const testDepConstraints = depConstraints.map((c) => ({
  ...c,
  onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'scope:testing'],
}));

const boundaries = (allow = []) => ['error', { allow, depConstraints, banTransitiveDependencies: false }];
const testBoundaries = (allow = []) => [
  'error',
  { allow, depConstraints: testDepConstraints, allowCircularSelfDependency: true, banTransitiveDependencies: false },
];
const otherApps = apps.flatMap((a) => [`../../${a}/src/**`, `../../${a}/test/**`]);

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'dist/**',
      'coverage/**',
      '.cache/**',
      '.infra/**',
      '.data/**',
      '.nx/**',
      'deploy/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { plugins: { '@nx': nx } },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { ecmaVersion: 2022, sourceType: 'module' } },
    rules: {
      '@nx/enforce-module-boundaries': boundaries(),
      // Unused names are errors, except deliberately ignored ones (`_` in destructuring) and parameters:
      // Nest injects decorated parameters (`@Req() req`) by position, whether the body reads them or not.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { args: 'none', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Decorated Nest modules are empty classes by design.
      '@typescript-eslint/no-extraneous-class': 'off',
      // A namespace-free codebase; declaration merging of interfaces with classes is used on purpose.
      '@typescript-eslint/no-unsafe-declaration-merging': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
      // `const self = this` for a named inner function that must see the instance.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['self'] }],
    },
  },
  {
    // The embedded run imports the five apps' modules by path (it is their composition root).
    files: ['apps/embedded/src/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(apps.map((a) => `../../${a}/src/*`)) },
  },
  {
    // Tests and the benchmark: response bodies and result rows are `any`, optional packages are `require`d.
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': testBoundaries(),
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // System tests start several services together, so an app's tests may import other apps' code.
    files: ['apps/*/test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': testBoundaries(otherApps) },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);

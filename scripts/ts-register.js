// Runs the TypeScript sources without a build (`node -r ./scripts/ts-register.js apps/embedded/src/main.ts`):
// each .ts file is compiled by swc as it is required (as jest does), and @privatelink/* resolve to libs/*/src.
// The start/stop tests spawn processes this way, so they test the code as it is, not a stale dist/.
const path = require('node:path');
const fs = require('node:fs');
const { transformSync } = require('@swc/core');
const tsconfigPaths = require('tsconfig-paths');

const root = path.resolve(__dirname, '..');
tsconfigPaths.register({ baseUrl: root, paths: { '@privatelink/*': ['libs/*/src/index.ts'] } });

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

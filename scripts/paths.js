// Resolves the @privatelink/* libraries inside dist/ at run time (tsc keeps the import names as written).
const path = require('node:path');
const tsconfigPaths = require('tsconfig-paths');
const dist = path.resolve(__dirname, '..', 'dist');
tsconfigPaths.register({ baseUrl: dist, paths: { '@privatelink/*': ['libs/*/src/index.js'] } });

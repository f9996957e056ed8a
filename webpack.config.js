// `npm run build`: every app in apps/ (each folder with src/main.ts) bundled in ONE webpack
// compile, on top of Nest's defaults (ts-loader, tsconfig paths for @lapor/*, node_modules left
// external). Output: dist/apps/<app>/main.js, started with plain `node` (no TypeScript loader).
// A new app is picked up by its folder; nothing to add here. LAPOR_BUILD_DIR moves the output (tests
// lay out an image's /app in a temporary folder).
const fs = require('node:fs');
const path = require('node:path');

const appsDir = path.join(__dirname, 'apps');
const apps = fs.readdirSync(appsDir).filter((name) => fs.existsSync(path.join(appsDir, name, 'src', 'main.ts')));

module.exports = (defaults) => ({
  ...defaults,
  entry: Object.fromEntries(apps.map((name) => [name, path.join(appsDir, name, 'src', 'main.ts')])),
  output: { ...defaults.output, path: path.join(process.env.LAPOR_BUILD_DIR ?? path.join(__dirname, 'dist'), 'apps'), filename: '[name]/main.js' },
});

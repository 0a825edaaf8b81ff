// Proves an assembled image tree can run: started with the image's WORKDIR as cwd, it resolves
// every require()/import() specifier in the dist/ of the workspace and of each workspace it links,
// then loads every module except the entry points (main.js and migrate.js act on import) —
// including the telemetry preload the image starts with. Exits non-zero on any missing module.
// usage (cwd = <tree>/<workspace>): node resolve-requires.cjs <tree root>
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { builtinModules, createRequire } = require('node:module');

const tree = path.resolve(process.argv[2]);
const cwd = process.cwd();
const builtins = new Set(builtinModules);
const MISSING = new Set([
  'MODULE_NOT_FOUND',
  'ERR_MODULE_NOT_FOUND',
  'ERR_PACKAGE_PATH_NOT_EXPORTED',
  'ERR_REQUIRE_ESM',
  'ERR_REQUIRE_ASYNC_MODULE',
]);
const problems = [];

function jsFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? jsFiles(p) : e.name.endsWith('.js') ? [p] : [];
  });
}

// A package that only exports an "import" condition cannot be require.resolve()d, yet is fine
// for import(); then it is enough that the package is installed where node will look.
function installed(fromFile, spec) {
  const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
  for (let dir = path.dirname(fromFile); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'node_modules', name, 'package.json'))) return true;
    if (dir === path.dirname(dir)) return false;
  }
}

const workspaces = ['packages', 'services'].flatMap((top) =>
  fs.existsSync(path.join(tree, top)) ? fs.readdirSync(path.join(tree, top)).map((w) => path.join(tree, top, w)) : [],
);
const pattern = /\brequire\(\s*["']([^"']+)["']\s*\)|\bimport\(\s*["']([^"']+)["']\s*\)/g;
let specs = 0;
for (const file of workspaces.flatMap((w) => jsFiles(path.join(w, 'dist')))) {
  const source = fs.readFileSync(file, 'utf8');
  for (const m of source.matchAll(pattern)) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith('node:') || builtins.has(spec)) continue;
    specs += 1;
    try {
      createRequire(file).resolve(spec);
    } catch (err) {
      if (err.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' && installed(file, spec)) continue;
      problems.push(`${path.relative(tree, file)}: cannot resolve '${spec}' (${err.code})`);
    }
  }
}

// Load for real: the preload the image starts with, then every module of this workspace that is
// not an entry point (main.js, migrate.js, CLIs: anything that reads argv or calls runMain acts on
// import, and its imports are loaded anyway as the library modules they are).
process.env.OTEL_SDK_DISABLED = 'true';
const local = createRequire(path.join(cwd, 'noop.js'));
const isEntry = (f) =>
  /[\\/]dist[\\/](main|migrate)\.js$/.test(f) ||
  /\bprocess\.argv\b|\brunMain\)?\(|^#!/.test(fs.readFileSync(f, 'utf8'));
const toLoad = jsFiles(path.join(cwd, 'dist')).filter((f) => !isEntry(f));
const platformPkg = path.join(tree, 'packages/platform/package.json');
const preload =
  fs.existsSync(path.join(cwd, 'node_modules')) || fs.existsSync(platformPkg)
    ? ['@ordersystem/platform/telemetry']
    : [];
let loaded = 0;
for (const target of [...preload, ...toLoad]) {
  try {
    if (target.startsWith('@') && !fs.existsSync(platformPkg)) continue;
    local(target);
    loaded += 1;
  } catch (err) {
    if (MISSING.has(err.code)) problems.push(`loading ${path.relative(tree, target)}: ${err.message.split('\n')[0]}`);
    else
      process.stderr.write(
        `  note: ${path.relative(tree, target)} threw on load (${err.code ?? err.name}); not a resolution problem\n`,
      );
  }
}

for (const p of problems) process.stderr.write(`  problem: ${p}\n`);
process.stdout.write(
  `resolve-requires: ${path.relative(tree, cwd)}: ${specs} specifiers resolved, ${loaded} modules loaded, ${problems.length} problems\n`,
);
process.exit(problems.length ? 1 : 0);

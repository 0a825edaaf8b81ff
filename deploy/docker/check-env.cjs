// Runs each service's own config loader (services/<svc>/dist/config.js, the only reader of
// process.env) on the environments the deployment artifacts would give it: the chart's rendered
// Deployments and migration Jobs, and docker compose's resolved services. A variable that a
// service starts requiring, renames or restricts fails here, with the loader's own message.
// usage: node check-env.cjs <tree with built services> <env.json>...   ({"<case>/<service>[-migrate]": {VAR: value}})
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [tree, ...files] = process.argv.slice(2);
const loaders = new Map();
function loaderFor(service) {
  if (!loaders.has(service)) {
    const file = path.join(tree, 'services', service, 'dist', 'config.js');
    const exported = fs.existsSync(file) ? require(file) : {};
    const name = Object.keys(exported).find((k) => /^load\w*Config$/.test(k) && typeof exported[k] === 'function');
    loaders.set(service, name ? exported[name] : undefined);
  }
  return loaders.get(service);
}

let checked = 0;
const problems = [];
for (const file of files) {
  for (const [key, env] of Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')))) {
    const service = key
      .split('/')
      .pop()
      .replace(/-migrate$/, '');
    const load = loaderFor(service);
    if (!load) continue; // not a service with a config loader (e.g. dev-sinks)
    try {
      load({ ...env });
      checked += 1;
    } catch (err) {
      problems.push(`${path.basename(file)} ${key}: ${String(err.message).replace(/\n/g, '\n    ')}`);
    }
  }
}
for (const p of problems) process.stderr.write(`  problem: ${p}\n`);
process.stdout.write(
  `check-env: ${checked} environments accepted by the services' config loaders, ${problems.length} rejected\n`,
);
process.exit(problems.length || checked === 0 ? 1 : 0);

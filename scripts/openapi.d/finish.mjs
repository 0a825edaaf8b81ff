// Completes the document protoc-gen-connect-openapi wrote from the protos with what the plugin
// cannot read: the access policy of every operation (the gateway's own table, built from the
// (ordersystem.auth.v1.access) options, so the document cannot disagree with what is enforced)
// as security requirements, and one example request per operation (examples.json beside this
// file). Fails when an operation is undocumented, unexampled or not routed by the gateway.
//   node scripts/openapi.d/finish.mjs <openapi.json>
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../..');
const { buildPolicyTable } = require(path.join(root, 'services/gateway/dist/policy/policy-table.js'));
const { PUBLIC_API } = require(path.join(root, 'services/gateway/dist/public-api.js'));
const { Access } = require(path.join(root, 'packages/contracts/dist/gen/ordersystem/auth/v1/policy_pb.js'));

const file = process.argv[2];
const doc = JSON.parse(readFileSync(file, 'utf8'));
const examples = JSON.parse(readFileSync(path.join(import.meta.dirname, 'examples.json'), 'utf8'));
const table = buildPolicyTable(PUBLIC_API.map((p) => p.service));
const problems = [];

const SECURITY = {
  // A token is optional on public operations, but one that is sent must be valid.
  [Access.PUBLIC]: { security: [{}, { bearerAuth: [] }], note: 'Public: no token needed.' },
  [Access.CUSTOMER]: { security: [{ bearerAuth: [] }], note: 'Needs a bearer token (any signed-in customer).' },
  [Access.ADMIN]: { security: [{ bearerAuth: [] }], role: 'admin', note: 'Needs a bearer token with the admin role.' },
};

// OpenAPI links from an operation's answer to the operations that take the id it created, so the
// fuzzer's stateful phase can chain calls (create, then read, change and delete what it made).
const byId = (service, pointer, targets) =>
  Object.fromEntries(
    targets.map((method) => [
      method,
      { operationId: `${service}.${method}`, requestBody: { id: `$response.body#${pointer}` } },
    ]),
  );
const CATALOG = 'ordersystem.catalog.v1.CatalogService';
const ORDERS = 'ordersystem.orders.v1.OrderService';
const LINKS = {
  [`${CATALOG}/CreateCategory`]: byId(CATALOG, '/category/id', [
    'GetCategory',
    'ListAncestors',
    'ListDescendants',
    'GetCategoryStats',
    'UpdateCategory',
    'DeleteCategory',
  ]),
  [`${CATALOG}/CreateProduct`]: byId(CATALOG, '/product/id', ['GetProduct', 'UpdateProduct', 'DeactivateProduct']),
  [`${ORDERS}/PlaceOrder`]: byId(ORDERS, '/order/id', [
    'GetOrder',
    'CancelOrder',
    'ConfirmOrder',
    'ShipOrder',
    'DeliverOrder',
  ]),
};

const documented = new Set();
for (const [route, item] of Object.entries(doc.paths ?? {})) {
  const key = route.replace(/^\//, '');
  const policy = table.get(key);
  if (!policy) {
    problems.push(`${route}: documented but not routed by the gateway`);
    continue;
  }
  documented.add(key);
  const access = SECURITY[policy.access];
  for (const op of Object.values(item)) {
    op.security = access.security;
    if (access.role) op['x-required-role'] = access.role;
    op.description = [op.description, access.note].filter(Boolean).join('\n\n');
    if (LINKS[key] && op.responses?.['200']) op.responses['200'].links = LINKS[key];
    const json = op.requestBody?.content?.['application/json'];
    if (!json) continue;
    if (!(key in examples)) problems.push(`${key}: no example in scripts/openapi.d/examples.json`);
    else json.example = examples[key];
  }
}
// Two things the plugin gets wrong for a oneof (seen on ReplayDeadNotifications): the members'
// fields are declared only inside the oneOf branches, so the parent's additionalProperties: false
// forbids every one of them and no valid body exists; and a bool.const rule becomes the string
// "true". The fields are declared on the parent too (the branches still say which one is required).
for (const schema of Object.values(doc.components?.schemas ?? {})) {
  for (const branch of schema.oneOf ?? []) {
    for (const [name, field] of Object.entries(branch.properties ?? {})) {
      if (field.type === 'boolean' && typeof field.const === 'string') field.const = field.const === 'true';
      schema.properties = { ...schema.properties, [name]: field };
    }
  }
}
for (const key of table.keys())
  if (!documented.has(key)) problems.push(`${key}: routed by the gateway but missing from the document`);
for (const key of Object.keys(examples))
  if (!table.has(key)) problems.push(`${key}: example for an operation the gateway does not route`);

if (problems.length > 0) {
  process.stderr.write(`[openapi] the document is incomplete:\n  ${problems.join('\n  ')}\n`);
  process.exit(1);
}
writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
process.stdout.write(
  `[openapi] ${documented.size} operations with access policy and examples -> ${path.relative(root, file)}\n`,
);

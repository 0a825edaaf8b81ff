import { PUBLIC_API } from '../src/public-api';
import { bufCurl, grpcurl } from './third-party';
import { type Stack, startStack } from './stack';

jest.setTimeout(60_000);

const PUBLIC = PUBLIC_API.map((p) => p.service.typeName);
const lines = (text: string) => text.trim().split('\n').sort();

/** Clients we did not write, against the gateway and an internal service, with no .proto files. */
describe('protocol conformance with third-party clients', () => {
  let stack: Stack;
  let gateway: string;
  let catalog: string;

  beforeAll(async () => {
    await grpcurl(['-version']); // builds it once if needed, outside the tests' own time
    stack = await startStack({ upstreams: ['catalog'] });
    gateway = `127.0.0.1:${stack.gateway.port}`;
    catalog = `127.0.0.1:${stack.upstreams.catalog!.svc.port}`;
  }, 900_000);
  afterAll(() => stack?.stop(), 30_000);

  it('grpcurl lists the public API on the gateway, and everything on an internal service', async () => {
    const atGateway = await grpcurl(['-plaintext', gateway, 'list']);
    expect(atGateway.exitCode).toBe(0);
    expect(lines(atGateway.stdout)).toEqual(
      [
        ...PUBLIC,
        'grpc.health.v1.Health',
        'grpc.reflection.v1.ServerReflection',
        'grpc.reflection.v1alpha.ServerReflection',
      ].sort(),
    );
    const atCatalog = await grpcurl(['-plaintext', catalog, 'list']);
    expect(lines(atCatalog.stdout)).toContain('ordersystem.catalog.v1.InventoryService');
  });

  it('grpcurl describes a method and calls it through reflection, errors included', async () => {
    const described = await grpcurl([
      '-plaintext',
      gateway,
      'describe',
      'ordersystem.catalog.v1.CatalogService.GetProduct',
    ]);
    expect(described.stdout).toMatch(
      /rpc GetProduct \( \.ordersystem\.catalog\.v1\.GetProductRequest \) returns \( \.ordersystem\.catalog\.v1\.GetProductResponse \)/,
    );
    const listed = await grpcurl([
      '-plaintext',
      '-d',
      '{"page_size": 5}',
      gateway,
      'ordersystem.catalog.v1.CatalogService/ListProducts',
    ]);
    expect(listed).toMatchObject({ exitCode: 0 });
    expect(JSON.parse(listed.stdout || '{}')).toEqual(expect.any(Object));
    const refused = await grpcurl([
      '-plaintext',
      '-d',
      '{"id": "nope"}',
      gateway,
      'ordersystem.catalog.v1.CatalogService/GetProduct',
    ]);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/Code: InvalidArgument/);
    const internal = await grpcurl([
      '-plaintext',
      '-d',
      '{}',
      gateway,
      'ordersystem.catalog.v1.InventoryService/ReserveStock',
    ]);
    expect(internal.stderr).toMatch(/does not expose service "ordersystem.catalog.v1.InventoryService"/);
  });

  it.each([
    ['connect', []],
    ['grpc', ['--http2-prior-knowledge']],
    ['grpcweb', []],
  ])('buf curl over %s calls through reflection and gets the same answers', async (protocol, flags) => {
    const url = (method: string) => `http://${gateway}/ordersystem.catalog.v1.CatalogService/${method}`;
    const ok = await bufCurl(['--protocol', protocol, ...flags, '--data', '{"pageSize": 5}', url('ListProducts')]);
    expect({ exitCode: ok.exitCode, stderr: ok.stderr }).toEqual({ exitCode: 0, stderr: '' });
    const bad = await bufCurl(['--protocol', protocol, ...flags, '--data', '{"id": "nope"}', url('GetProduct')]);
    expect(bad.exitCode).not.toBe(0);
    expect(`${bad.stdout}${bad.stderr}`).toMatch(/invalid_argument/);
    const denied = await bufCurl([
      '--protocol',
      protocol,
      ...flags,
      '--data',
      '{}',
      `http://${gateway}/ordersystem.customers.v1.CustomerService/GetMe`,
    ]);
    expect(`${denied.stdout}${denied.stderr}`).toMatch(/unauthenticated/);
  });
});

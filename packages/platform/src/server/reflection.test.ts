import { create, createFileRegistry, fromBinary, getOption } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { createClient, createRouterTransport } from '@connectrpc/connect';
import * as v1 from '@ordersystem/contracts/grpc/reflection/v1/reflection';
import * as v1alpha from '@ordersystem/contracts/grpc/reflection/v1alpha/reflection';
import { CatalogService } from '@ordersystem/contracts/ordersystem/catalog/v1/catalog';
import { access } from '@ordersystem/contracts/ordersystem/auth/v1/policy';
import { registerReflection } from './reflection';

const transport = createRouterTransport((router) => {
  router.service(CatalogService, {});
  registerReflection(router, () => router.handlers.map((h) => h.service));
});

type Answer = v1.ServerReflectionResponse;

/** One stream, one answer per request, in order. */
async function ask(requests: v1.ServerReflectionRequest['messageRequest'][]): Promise<[Answer, ...Answer[]]> {
  const client = createClient(v1.ServerReflection, transport);
  const out: v1.ServerReflectionResponse[] = [];
  async function* send() {
    for (const messageRequest of requests) yield { host: 'test', messageRequest };
  }
  for await (const res of client.serverReflectionInfo(send())) out.push(res);
  if (out.length !== requests.length || !out[0])
    throw new Error(`${out.length} answers to ${requests.length} requests`);
  return out as [Answer, ...Answer[]];
}

describe('server reflection', () => {
  it('lists exactly the routed services, itself included', async () => {
    const [res] = await ask([{ case: 'listServices', value: '' }]);
    expect(res.messageResponse.case).toBe('listServicesResponse');
    const names =
      res.messageResponse.case === 'listServicesResponse' ? res.messageResponse.value.service.map((s) => s.name) : [];
    expect(names).toEqual([
      'ordersystem.catalog.v1.CatalogService',
      'grpc.reflection.v1.ServerReflection',
      'grpc.reflection.v1alpha.ServerReflection',
    ]);
  });

  it('describes a method with every file it needs, so a client can build the descriptors', async () => {
    const [res] = await ask([
      { case: 'fileContainingSymbol', value: 'ordersystem.catalog.v1.CatalogService.GetProduct' },
    ]);
    if (res.messageResponse.case !== 'fileDescriptorResponse')
      throw new Error(`unexpected ${res.messageResponse.case}`);
    const files = res.messageResponse.value.fileDescriptorProto.map((b) => fromBinary(FileDescriptorProtoSchema, b));
    expect(files.at(-1)?.name).toBe('ordersystem/catalog/v1/catalog.proto');
    const registry = createFileRegistry(create(FileDescriptorSetSchema, { file: files }));
    const method = registry
      .getService('ordersystem.catalog.v1.CatalogService')
      ?.methods.find((m) => m.name === 'GetProduct');
    expect(method?.input.typeName).toBe('ordersystem.catalog.v1.GetProductRequest');
    // The access policy travels with the descriptors, as a custom option.
    expect(method && getOption(method, access)).toBeGreaterThan(0);
  });

  it('sends a file only once per stream and answers unknown names with not_found', async () => {
    const [first, second = first, unknown = first] = await ask([
      { case: 'fileByFilename', value: 'ordersystem/catalog/v1/catalog.proto' },
      { case: 'fileByFilename', value: 'ordersystem/common/v1/money.proto' },
      { case: 'fileContainingSymbol', value: 'ordersystem.catalog.v1.InventoryService' },
    ]);
    const count = (r: v1.ServerReflectionResponse) =>
      r.messageResponse.case === 'fileDescriptorResponse' ? r.messageResponse.value.fileDescriptorProto.length : 0;
    expect(count(first)).toBeGreaterThan(1);
    expect(count(second)).toBe(1);
    expect(unknown.messageResponse).toMatchObject({ case: 'errorResponse', value: { errorCode: 5 } });
  });

  it('answers v1alpha clients the same way', async () => {
    const client = createClient(v1alpha.ServerReflection, transport);
    async function* send() {
      yield { messageRequest: { case: 'allExtensionNumbersOfType' as const, value: 'google.protobuf.MethodOptions' } };
    }
    for await (const res of client.serverReflectionInfo(send())) {
      expect(res.messageResponse).toMatchObject({
        case: 'allExtensionNumbersResponse',
        value: { extensionNumber: expect.arrayContaining([51001, 51002]) },
      });
    }
  });
});

import { create, createFileRegistry, type DescService, setExtension } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema, MethodOptionsSchema, file_google_protobuf_empty } from '@bufbuild/protobuf/wkt';
import { Access, access } from '@ordersystem/contracts/ordersystem/auth/v1/policy';
import { PUBLIC_API } from '../public-api';
import { PaymentEventService } from '@ordersystem/contracts/ordersystem/orders/v1/payments';
import { INTERNAL_ONLY, PolicyError, buildPolicyTable, cacheControl } from './policy-table';

/** A one-service API built at runtime: `Annotated` has a policy, every name in `bare` has none. */
function serviceWith(bare: string[]): DescService {
  const options = create(MethodOptionsSchema);
  setExtension(options, access, Access.PUBLIC);
  const method = (name: string, withPolicy: boolean) => ({
    name,
    inputType: '.google.protobuf.Empty',
    outputType: '.google.protobuf.Empty',
    ...(withPolicy ? { options } : {}),
  });
  const file = create(FileDescriptorProtoSchema, {
    name: 'test/v1/test.proto',
    package: 'test.v1',
    syntax: 'proto3',
    dependency: ['google/protobuf/empty.proto'],
    service: [{ name: 'TestService', method: [method('Annotated', true), ...bare.map((n) => method(n, false))] }],
  });
  const registry = createFileRegistry(file, (name) =>
    name === 'google/protobuf/empty.proto' ? file_google_protobuf_empty : undefined,
  );
  return registry.getService('test.v1.TestService')!;
}

describe('policy table', () => {
  it('refuses to route an internal-only service such as the payment events webhooks feed', () => {
    expect(() => buildPolicyTable([...PUBLIC_API.map((p) => p.service), PaymentEventService])).toThrow(
      /ordersystem\.orders\.v1\.PaymentEventService: internal only/,
    );
    expect(PUBLIC_API.some((p) => INTERNAL_ONLY.has(p.service.typeName))).toBe(false);
  });

  it('has an access level for every method of the public API', () => {
    const table = buildPolicyTable(PUBLIC_API.map((p) => p.service));
    const methods = PUBLIC_API.flatMap((p) => p.service.methods);
    expect(table.size).toBe(methods.length);
    expect(table.get('ordersystem.catalog.v1.CatalogService/GetProduct')).toMatchObject({
      access: Access.PUBLIC,
      retryable: true,
      cache: { maxAgeSeconds: 30, private: false },
    });
    expect(table.get('ordersystem.orders.v1.OrderService/PlaceOrder')).toMatchObject({
      access: Access.CUSTOMER,
      retryable: false,
    });
    expect(table.get('ordersystem.orders.v1.OrderService/PlaceOrder')?.cache).toBeUndefined();
    expect(table.get('ordersystem.customers.v1.CustomerService/SetCustomerRoles')).toMatchObject({
      access: Access.ADMIN,
      retryable: true,
    });
  });

  it('accepts a method annotated at runtime', () => {
    expect(buildPolicyTable([serviceWith([])]).get('test.v1.TestService/Annotated')?.access).toBe(Access.PUBLIC);
  });

  it('refuses to start when a public method has no access option, naming every such method', () => {
    const build = () => buildPolicyTable([serviceWith(['Forgotten', 'AlsoForgotten'])]);
    expect(build).toThrow(PolicyError);
    expect(build).toThrow(/test\.v1\.TestService\/Forgotten[\s\S]*test\.v1\.TestService\/AlsoForgotten/);
  });

  it('spells Cache-Control from the option', () => {
    expect(cacheControl({ maxAgeSeconds: 60, private: false })).toBe('public, max-age=60');
    expect(cacheControl({ maxAgeSeconds: 0, private: true })).toBe('private, no-cache');
  });
});

import { create, createFileRegistry, type FileRegistry, fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import {
  ServerReflection,
  type ServerReflectionRequest,
  type ServerReflectionResponse,
} from '@ordersystem/contracts/grpc/reflection/v1/reflection';

/** A gRPC reflection client over HTTP/2, as grpcurl would use it: one stream per question list. */
export function reflectionClient(baseUrl: string) {
  const client = createClient(ServerReflection, createGrpcTransport({ baseUrl }));
  const ask = async (requests: ServerReflectionRequest['messageRequest'][]): Promise<ServerReflectionResponse[]> => {
    async function* send() {
      for (const messageRequest of requests) yield { messageRequest };
    }
    const out: ServerReflectionResponse[] = [];
    for await (const res of client.serverReflectionInfo(send(), { timeoutMs: 10_000 })) out.push(res);
    return out;
  };
  return {
    async listServices(): Promise<string[]> {
      const [res] = await ask([{ case: 'listServices', value: '' }]);
      if (res?.messageResponse.case !== 'listServicesResponse')
        throw new Error(`unexpected answer ${res?.messageResponse.case}`);
      return res.messageResponse.value.service.map((s) => s.name).sort();
    },
    /** The descriptors of the file declaring `symbol`, or the reflection error code when there is none. */
    async describe(symbol: string): Promise<FileRegistry | { errorCode: number }> {
      const [res] = await ask([{ case: 'fileContainingSymbol', value: symbol }]);
      if (res?.messageResponse.case === 'errorResponse') return { errorCode: res.messageResponse.value.errorCode };
      if (res?.messageResponse.case !== 'fileDescriptorResponse')
        throw new Error(`unexpected answer ${res?.messageResponse.case}`);
      const files = res.messageResponse.value.fileDescriptorProto.map((bytes) =>
        fromBinary(FileDescriptorProtoSchema, bytes),
      );
      return createFileRegistry(create(FileDescriptorSetSchema, { file: files }));
    },
  };
}

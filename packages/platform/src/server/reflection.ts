import { type DescFile, type DescService, toBinary } from '@bufbuild/protobuf';
import { nestedTypes } from '@bufbuild/protobuf/reflect';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { Code, type ConnectRouter } from '@connectrpc/connect';
import * as v1 from '@ordersystem/contracts/grpc/reflection/v1/reflection';
import * as v1alpha from '@ordersystem/contracts/grpc/reflection/v1alpha/reflection';

/** Both reflection versions: grpcurl and buf curl ask for v1, older tools (Postman) for v1alpha. */
export const REFLECTION_SERVICES: readonly string[] = [v1.ServerReflection.typeName, v1alpha.ServerReflection.typeName];

/** One request of either version; both have the same fields. */
type Request = v1.ServerReflectionRequest | v1alpha.ServerReflectionRequest;

/** The answer, as a plain init object that both versions' response messages accept. */
type Answer =
  | { case: 'listServicesResponse'; value: { service: { name: string }[] } }
  | { case: 'fileDescriptorResponse'; value: { fileDescriptorProto: Uint8Array[] } }
  | { case: 'allExtensionNumbersResponse'; value: { baseTypeName: string; extensionNumber: number[] } }
  | { case: 'errorResponse'; value: { errorCode: number; errorMessage: string } };

/**
 * gRPC server reflection (v1 and v1alpha) describing exactly the services the router serves, from
 * the descriptors the generated code embeds. Nothing else is reachable through it: a server that
 * routes only the public API (the gateway) reveals only the public API and the files it imports.
 * `services` is read per call, so reflection lists itself and whatever was registered after it.
 */
export function registerReflection(router: ConnectRouter, services: () => readonly DescService[]): void {
  let index: DescriptorIndex | undefined;
  const answerer = () => {
    index ??= indexDescriptors(services());
    return createAnswerer(index);
  };
  router.service(v1.ServerReflection, {
    async *serverReflectionInfo(requests) {
      const answer = answerer();
      for await (const req of requests)
        yield { validHost: req.host, originalRequest: req, messageResponse: answer(req) };
    },
  });
  router.service(v1alpha.ServerReflection, {
    async *serverReflectionInfo(requests) {
      const answer = answerer();
      for await (const req of requests)
        yield { validHost: req.host, originalRequest: req, messageResponse: answer(req) };
    },
  });
}

interface DescriptorIndex {
  services: string[];
  files: Map<string, DescFile>;
  /** Fully-qualified name of every message, enum, service, method and extension → its file. */
  symbols: Map<string, DescFile>;
  /** Extended message → extension number → the file declaring the extension. */
  extensions: Map<string, Map<number, DescFile>>;
}

function indexDescriptors(services: readonly DescService[]): DescriptorIndex {
  const index: DescriptorIndex = { services: [], files: new Map(), symbols: new Map(), extensions: new Map() };
  const addFile = (file: DescFile): void => {
    if (index.files.has(file.proto.name)) return;
    index.files.set(file.proto.name, file);
    for (const desc of nestedTypes(file)) {
      index.symbols.set(desc.typeName, file);
      if (desc.kind === 'service') for (const m of desc.methods) index.symbols.set(`${desc.typeName}.${m.name}`, file);
      if (desc.kind === 'extension') {
        const byNumber = index.extensions.get(desc.extendee.typeName) ?? new Map<number, DescFile>();
        index.extensions.set(desc.extendee.typeName, byNumber.set(desc.number, file));
      }
    }
    file.dependencies.forEach(addFile);
  };
  for (const service of services) {
    if (!index.services.includes(service.typeName)) index.services.push(service.typeName);
    addFile(service.file);
  }
  return index;
}

/**
 * Answers the requests of one stream. A file is sent with every file it imports, transitively,
 * except those this stream already received (as grpc-go does), imports first, so a client can
 * build the descriptors in the order they arrive.
 */
function createAnswerer(index: DescriptorIndex): (req: Request) => Answer {
  const sent = new Set<string>();
  const filesAnswer = (file: DescFile | undefined, what: string): Answer => {
    if (!file) return { case: 'errorResponse', value: { errorCode: Code.NotFound, errorMessage: `${what} not found` } };
    const out: Uint8Array[] = [];
    const add = (f: DescFile, requested: boolean) => {
      if (!requested && sent.has(f.proto.name)) return;
      sent.add(f.proto.name);
      for (const dep of f.dependencies) add(dep, false);
      out.push(toBinary(FileDescriptorProtoSchema, f.proto));
    };
    add(file, true);
    return { case: 'fileDescriptorResponse', value: { fileDescriptorProto: out } };
  };
  return (req) => {
    const r = req.messageRequest;
    switch (r.case) {
      case 'listServices':
        return { case: 'listServicesResponse', value: { service: index.services.map((name) => ({ name })) } };
      case 'fileByFilename':
        return filesAnswer(index.files.get(r.value), `file ${r.value}`);
      case 'fileContainingSymbol':
        return filesAnswer(index.symbols.get(r.value.replace(/^\./, '')), `symbol ${r.value}`);
      case 'fileContainingExtension':
        return filesAnswer(
          index.extensions.get(r.value.containingType)?.get(r.value.extensionNumber),
          `extension ${r.value.extensionNumber} of ${r.value.containingType}`,
        );
      case 'allExtensionNumbersOfType': {
        const numbers = index.extensions.get(r.value);
        if (!numbers && !index.symbols.has(r.value))
          return {
            case: 'errorResponse',
            value: { errorCode: Code.NotFound, errorMessage: `type ${r.value} not found` },
          };
        return {
          case: 'allExtensionNumbersResponse',
          value: { baseTypeName: r.value, extensionNumber: [...(numbers?.keys() ?? [])] },
        };
      }
      default:
        return {
          case: 'errorResponse',
          value: { errorCode: Code.InvalidArgument, errorMessage: 'empty or unknown reflection request' },
        };
    }
  };
}

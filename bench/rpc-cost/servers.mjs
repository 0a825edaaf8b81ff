// The servers bench/rpc-cost/run.sh measures, answering ContactService.GetContact with the same
// contact: `bare` is node:http2 writing a fixed gRPC answer; `grpcjs` is @grpc/grpc-js and
// `connect-plain` connect-node's adapter, both with no interceptors; `platform` is the platform's
// createServer (every service's interceptors: tracing, metrics, identity, input checks, protovalidate).
// Usage: node servers.mjs bare|grpcjs|connect-plain|platform PORT
import http2 from 'node:http2';
import grpc from '@grpc/grpc-js';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  ContactService,
  GetContactRequestSchema,
  GetContactResponseSchema,
} from '@ordersystem/contracts/ordersystem/customers/v1/contacts';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { Readiness, createMetrics, createServer } from '@ordersystem/platform';
import { pino } from 'pino';

const [kind, port] = [process.argv[2], Number(process.argv[3])];
/** run.sh waits for this line before it loads the server. */
const ready = () => process.stdout.write('ready\n');
// An orderly exit on SIGTERM, so `node --cpu-prof` writes its profile.
process.once('SIGTERM', () => process.exit(0));
const contact = {
  customerId: '25f992f0-c59d-452c-99de-9eb9718ac9b8',
  name: 'Wanjiru Kamau',
  email: 'wanjiru@example.test',
  phoneNumber: '+254712345678',
};

if (kind === 'bare') {
  const message = toBinary(GetContactResponseSchema, create(GetContactResponseSchema, { contact }));
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  const server = http2.createServer();
  server.on('stream', (stream) => {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc+proto' }, { waitForTrailers: true });
      stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(frame);
    });
  });
  server.listen(port, '127.0.0.1', () => ready());
} else if (kind === 'connect-plain') {
  const routes = (router) => router.service(ContactService, { getContact: async () => ({ contact }) });
  http2.createServer(connectNodeAdapter({ routes })).listen(port, '127.0.0.1', () => ready());
} else if (kind === 'platform') {
  const readiness = new Readiness();
  const server = createServer({
    service: 'bench',
    logger: pino({ level: 'warn' }),
    metrics: createMetrics('bench'),
    readiness,
    routes: (router) => router.service(ContactService, { getContact: async () => ({ contact }) }),
  });
  await server.listen('127.0.0.1', port, 0);
  ready();
} else if (kind === 'grpcjs') {
  const server = new grpc.Server();
  const getContact = {
    path: '/ordersystem.customers.v1.ContactService/GetContact',
    requestStream: false,
    responseStream: false,
    requestDeserialize: (bytes) => fromBinary(GetContactRequestSchema, bytes),
    responseSerialize: (message) => Buffer.from(toBinary(GetContactResponseSchema, message)),
  };
  server.addService(
    { getContact },
    { getContact: (_call, done) => done(null, create(GetContactResponseSchema, { contact })) },
  );
  server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err) => {
    if (err) throw err;
    ready();
  });
} else {
  throw new Error(`usage: servers.mjs bare|grpcjs|connect-plain|platform PORT (got ${kind})`);
}

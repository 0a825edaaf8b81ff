export * from './infra-env';
export * from './schema';
export * from './service-process';
export * from './grpc-health';
export * from './service-assertions';
export * from './otlp-receiver';
export * from './rpc';
export * from './database';

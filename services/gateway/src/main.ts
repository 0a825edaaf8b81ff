import { createRuntime, createServer, runMain, serve } from '@ordersystem/platform';
import { loadGatewayConfig } from './config.js';
import { routes } from './routes.js';

runMain(async () => {
  const config = loadGatewayConfig();
  const runtime = createRuntime('gateway', config);
  const { logger, metrics, readiness } = runtime;
  const server = createServer({ service: 'gateway', logger, metrics, readiness, routes: routes() });
  await serve(runtime, server, config);
});

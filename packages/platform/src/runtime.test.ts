import http from 'node:http';
import { createRuntime, createServer, listenEarly, serve } from './index.js';

const config = { LOG_LEVEL: 'silent', SHUTDOWN_GRACE_MS: 1_000, HOST: '127.0.0.1', PORT: 0, OPS_PORT: 0 };
// A new connection per probe, as the kubelet makes them.
const get = (port: number, path: string) =>
  new Promise<number | undefined>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => resolve(res.resume().statusCode))
      .on('error', reject);
  });

describe('listenEarly', () => {
  it('answers probes alive-but-not-ready while starting, then hands its ports to the real server', async () => {
    const runtime = createRuntime('early-test', config);
    const early = await listenEarly(runtime, config);
    try {
      expect(await get(early.opsPort, '/healthz')).toBe(200);
      expect(await get(early.opsPort, '/readyz')).toBe(503);

      const server = createServer({
        service: 'early-test',
        logger: runtime.logger,
        metrics: runtime.metrics,
        readiness: runtime.readiness,
        routes: () => undefined,
      });
      const addresses = await serve(runtime, server, config, early);
      expect(addresses).toEqual({ port: early.port, opsPort: early.opsPort });
      expect(await get(addresses.opsPort, '/readyz')).toBe(200);
    } finally {
      await runtime.lifecycle.stop('test over');
    }
  });
});

describe('process warnings', () => {
  it('are logged as structured lines, except kafkajs’ negative request-queue timeout', async () => {
    const runtime = createRuntime('warnings-test', { ...config, LOG_LEVEL: 'warn' });
    const logged = jest.spyOn(runtime.logger, 'warn').mockImplementation(() => undefined);
    try {
      const fromKafkajs = Object.assign(new Error('-1796011700480 is a negative number.'), {
        name: 'TimeoutNegativeWarning',
        stack:
          'TimeoutNegativeWarning: ...\n    at RequestQueue.scheduleCheckPendingRequests (node_modules/kafkajs/src/network/requestQueue/index.js:317:43)',
      });
      process.emit('warning', fromKafkajs);
      expect(logged).not.toHaveBeenCalled();
      const ours = Object.assign(new Error('-5 is a negative number.'), { name: 'TimeoutNegativeWarning' });
      process.emit('warning', ours);
      expect(logged).toHaveBeenCalledWith({ err: ours }, 'process warning: TimeoutNegativeWarning');
    } finally {
      logged.mockRestore();
    }
  });
});

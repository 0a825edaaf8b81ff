import path from 'node:path';
import { grpcHealthCheck, startService } from '@ordersystem/testing';

const fixture = path.join(__dirname, 'fixtures');

describe('graceful shutdown', () => {
  it('lets an in-flight call finish after SIGTERM, refuses new connections, and exits 0', async () => {
    const svc = await startService('fixture', { SHUTDOWN_GRACE_MS: '5000' }, { cwd: fixture, entry: 'slow-server.js' });
    const address = `127.0.0.1:${svc.port}`;

    const inFlight = grpcHealthCheck(address, { metadata: { 'x-test-delay-ms': '1500' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exitCode = svc.stop('SIGTERM');

    // The call started before SIGTERM completes; by then readiness has flipped to not serving.
    await expect(inFlight).resolves.toBe('NOT_SERVING');
    await expect(exitCode).resolves.toBe(0);
    await expect(grpcHealthCheck(address, { deadlineMs: 1_000 })).rejects.toThrow();
    expect(svc.logs.map((l) => l.message)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
  });

  it('fails fast at start-up naming every bad variable', async () => {
    await expect(
      startService(
        'fixture',
        { PORT: 'not-a-port', OPS_PORT: '', LOG_LEVEL: 'loud' },
        { cwd: fixture, entry: 'slow-server.js' },
      ),
    ).rejects.toThrow(/PORT[\s\S]*LOG_LEVEL|LOG_LEVEL[\s\S]*PORT/);
  });
});

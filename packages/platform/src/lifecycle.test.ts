import { pino } from 'pino';
import { createLifecycle } from './lifecycle.js';

const logger = pino({ level: 'silent' });

describe('createLifecycle', () => {
  afterEach(() => {
    process.removeAllListeners('SIGTERM');
    process.removeAllListeners('SIGINT');
  });

  it('closes in reverse order of registration, once', async () => {
    const lifecycle = createLifecycle(logger, 1_000);
    const closed: string[] = [];
    for (const name of ['telemetry', 'database', 'kafka', 'server'])
      lifecycle.onStop(name, () => void closed.push(name));
    const [first, second] = await Promise.all([lifecycle.stop('test'), lifecycle.stop('again')]);
    expect(closed).toEqual(['server', 'kafka', 'database', 'telemetry']);
    expect(first).toBe(0);
    expect(second).toBe(0);
  });

  it('keeps closing after a failure and reports it in the exit code', async () => {
    const lifecycle = createLifecycle(logger, 1_000);
    const closed: string[] = [];
    lifecycle.onStop('database', () => void closed.push('database'));
    lifecycle.onStop('kafka', () => Promise.reject(new Error('broker gone')));
    expect(await lifecycle.stop('test')).toBe(1);
    expect(closed).toEqual(['database']);
  });
});

import { z } from 'zod';
import { ConfigError, baseEnv, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('parses, coerces and applies defaults', () => {
    const config = loadConfig(baseEnv, { PORT: '50051', OPS_PORT: '9181' });
    expect(config).toMatchObject({
      PORT: 50051,
      OPS_PORT: 9181,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: 10_000,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every missing or invalid variable at once', () => {
    const shape = { ...baseEnv, REDIS_URL: z.url() };
    let error: unknown;
    try {
      loadConfig(shape, { PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'OPS_PORT', 'LOG_LEVEL', 'REDIS_URL']) expect(message).toContain(`${name}:`);
  });
});

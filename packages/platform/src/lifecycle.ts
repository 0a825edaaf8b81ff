import type { Logger } from 'pino';

type Closer = { name: string; close: () => Promise<void> | void };

export interface Lifecycle {
  /** Registers something to close on shutdown; closed in reverse order of registration. */
  onStop(name: string, close: Closer['close']): void;
  /** Runs every closer once (later calls return the same promise) and resolves to the exit code. */
  stop(reason: string): Promise<number>;
}

/**
 * Owns process shutdown. The first SIGTERM/SIGINT starts a graceful stop bounded by `graceMs`;
 * dependencies close last-opened-first (server before Kafka before the database) so nothing
 * is closed while something above it still uses it. A second signal exits at once.
 */
export function createLifecycle(logger: Logger, graceMs: number): Lifecycle {
  const closers: Closer[] = [];
  let stopping: Promise<number> | undefined;

  const stop = (reason: string): Promise<number> => {
    stopping ??= (async () => {
      logger.info({ reason }, 'shutting down');
      let code = 0;
      const hardDeadline = setTimeout(() => {
        logger.error('shutdown exceeded its grace period, exiting');
        process.exit(1);
      }, graceMs + 5_000);
      hardDeadline.unref();
      for (const { name, close } of [...closers].reverse()) {
        try {
          await close();
        } catch (err) {
          code = 1;
          logger.error({ err, closer: name }, 'failed to close cleanly');
        }
      }
      clearTimeout(hardDeadline);
      logger.info({ code }, 'stopped');
      return code;
    })();
    return stopping;
  };

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) {
        logger.warn({ signal }, 'second signal, exiting now');
        process.exit(1);
      }
      void stop(signal).then((code) => process.exit(code));
    });
  }

  return { onStop: (name, close) => void closers.push({ name, close }), stop };
}

/**
 * Entry point wrapper for main.ts: a start-up failure (bad config, unreachable database) is
 * printed once, plainly, and the process exits non-zero instead of leaving an unhandled rejection.
 */
export function runMain(main: () => Promise<unknown>): void {
  main().catch((err: unknown) => {
    const message = err instanceof Error ? (err.name === 'ConfigError' ? err.message : err.stack) : String(err);
    process.stderr.write(`fatal: ${message}\n`);
    process.exit(1);
  });
}

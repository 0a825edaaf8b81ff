import type { Logger } from '@ordersystem/platform';

/**
 * Runs `sweep` every `intervalMs` (never overlapping itself) until stopped. `stop` waits for a
 * sweep in progress so shutdown never cuts a transaction short.
 */
export function startSweeper(sweep: () => Promise<number>, intervalMs: number, logger: Logger): { stop: () => Promise<void> } {
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = sweep()
      .then((n) => { if (n > 0) logger.info({ products: n }, 'expired overdue reservations'); })
      .catch((err: unknown) => logger.error({ err }, 'reservation sweep failed'))
      .finally(() => { running = undefined; });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

import type { CrashPoint } from './app/ports.js';

/**
 * Test-only fault injection (CRASH_AT): the process SIGKILLs itself the first time it reaches
 * the configured point, so integration tests can show what a real crash there leaves behind.
 * Unset in every real deployment, where this is a no-op.
 */
export function crashPoint(at: string | undefined): CrashPoint | undefined {
  if (!at) return undefined;
  return (point) => {
    if (point === at) process.kill(process.pid, 'SIGKILL');
  };
}

import { infraEnv, loadInfraEnvFile } from './infra-env';
import { startContainers, type StartedContainers } from './containers';

/** Where a run's containers are kept for global-teardown.ts (Jest shares globalThis between the two). */
export const STARTED_CONTAINERS = Symbol.for('ordersystem.testing.containers');
type WithContainers = typeof globalThis & { [STARTED_CONTAINERS]?: StartedContainers };

/**
 * Runs once before the integration tests. ORDERSYSTEM_INFRA chooses the infrastructure:
 * - unset: the one named by the environment (CI, or `.infra/env` after `scripts/infra up`);
 *   otherwise containers when a container engine answers; otherwise fail loudly with instructions.
 * - `native`: only the environment / `.infra/env`, never containers.
 * - `containers`: always testcontainers, ignoring both, so the container path can run on a
 *   machine where the native infrastructure is up too (scripts/check-containers).
 * Integration tests never skip silently.
 */
export default async function globalSetup(): Promise<void> {
  const mode = process.env.ORDERSYSTEM_INFRA ?? '';
  if (!['', 'native', 'containers'].includes(mode)) {
    throw new Error(`ORDERSYSTEM_INFRA=${mode}: expected native, containers or unset`);
  }
  if (mode === 'containers') {
    if (!(await useContainers()))
      throw new Error('ORDERSYSTEM_INFRA=containers but no container engine answers (DOCKER_HOST?)');
    return;
  }
  loadInfraEnvFile();
  try {
    infraEnv();
  } catch (missing) {
    if (mode === 'native' || !(await useContainers())) throw missing;
  }
}

/** Starts the containers once per Jest run (each project with this setup calls it) and exports their settings. */
async function useContainers(): Promise<boolean> {
  const store = globalThis as WithContainers;
  const started = store[STARTED_CONTAINERS] ?? (await startContainers());
  if (!started) return false;
  store[STARTED_CONTAINERS] = started;
  Object.assign(process.env, started.env);
  infraEnv();
  return true;
}

import { STARTED_CONTAINERS } from './global-setup';
import type { StartedContainers } from './containers';

/** Removes the containers global-setup.ts started, if any; the Ryuk reaper is only a safety net. */
export default async function globalTeardown(): Promise<void> {
  const store = globalThis as typeof globalThis & { [STARTED_CONTAINERS]?: StartedContainers };
  const started = store[STARTED_CONTAINERS];
  delete store[STARTED_CONTAINERS];
  await started?.stop();
}

import { infraEnv, loadInfraEnvFile } from './infra-env';
import { startContainers } from './containers';

/**
 * Runs once before the integration tests: use the infrastructure named by the environment
 * (CI, or after `scripts/infra up`); otherwise start containers when a Docker engine exists;
 * otherwise fail loudly with instructions. Integration tests never skip silently.
 */
export default async function globalSetup(): Promise<void> {
  loadInfraEnvFile();
  try {
    infraEnv();
    return;
  } catch (missing) {
    const started = await startContainers();
    if (!started) throw missing;
    Object.assign(process.env, started);
    infraEnv();
  }
}

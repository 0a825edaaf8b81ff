import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import type * as testcontainers from 'testcontainers';
import type { StartedTestContainer } from 'testcontainers';
import { DATABASE_SERVICES } from './infra-env';
import { dependencyImages } from './versions';

// Loaded lazily: runs on native infrastructure never pay for testcontainers' import.
type Testcontainers = typeof testcontainers;

const SQL_DIR = path.resolve(__dirname, '../../../scripts/infra.d');

/** Infrastructure started in containers: the environment the tests need, and how to remove it. */
export interface StartedContainers {
  env: Record<string, string>;
  stop(): Promise<void>;
}

interface Part {
  container: StartedTestContainer;
  env: Record<string, string>;
}

/**
 * Starts PostgreSQL, Redis and Kafka with testcontainers when a container engine answers (Docker,
 * or podman's Docker-compatible API via DOCKER_HOST), at the versions of scripts/versions.env, and
 * provisions the same roles and schemas as `scripts/infra up` (same SQL files). Every host port is
 * free at start, so the containers can run beside the native infrastructure.
 * Returns undefined when there is no container runtime.
 */
export async function startContainers(): Promise<StartedContainers | undefined> {
  const tc = await import('testcontainers');
  try {
    await tc.getContainerRuntimeClient();
  } catch {
    return undefined;
  }
  const images = dependencyImages();
  // In parallel: Kafka alone takes most of the start-up time.
  const results = await Promise.allSettled([
    startPostgres(tc, images.postgres),
    startRedis(tc, images.redis),
    startKafka(tc, images.kafka),
  ]);
  const parts = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stop = () => Promise.all(parts.map((p) => p.container.stop())).then(() => undefined);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { env: Object.assign({}, ...parts.map((p) => p.env)) as Record<string, string>, stop };
}

/**
 * Without the Ryuk reaper (no image for it where no registry is reachable) nothing removes a
 * crashed run's containers; these labels let `scripts/containers/podman clean <run>` find them.
 */
function labels(): Record<string, string> {
  const run = process.env.ORDERSYSTEM_CONTAINERS_RUN;
  return { 'org.ordersystem.testcontainers': 'true', ...(run ? { 'org.ordersystem.run': run } : {}) };
}

async function startPostgres(tc: Testcontainers, image: string): Promise<Part> {
  const adminPw = randomBytes(12).toString('hex');
  const pg = await new tc.GenericContainer(image)
    .withLabels(labels())
    .withEnvironment({ POSTGRES_PASSWORD: adminPw })
    .withExposedPorts(5432)
    .withCopyDirectoriesToContainer([{ source: SQL_DIR, target: '/infra.d' }])
    // Over TCP on purpose: the image's init-time server listens on the socket only.
    .withWaitStrategy(tc.Wait.forSuccessfulCommand('pg_isready -q -h 127.0.0.1 -U postgres'))
    .withStartupTimeout(120_000)
    .start();
  const psql = async (file: string, args: string[]) => {
    const result = await pg.exec(['psql', '-X', '-q', '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', ...args, '-f', file]);
    if (result.exitCode !== 0) throw new Error(`psql -f ${file} exited ${result.exitCode}: ${result.output}`);
  };
  await psql('/infra.d/pg-init.sql', ['-v', `admin_pw=${adminPw}`]);
  const host = `${pg.getHost()}:${pg.getMappedPort(5432)}`;
  const env: Record<string, string> = { DATABASE_ADMIN_URL: `postgres://postgres:${adminPw}@${host}/ordersystem` };
  for (const svc of DATABASE_SERVICES) {
    const pw = randomBytes(12).toString('hex');
    await psql('/infra.d/pg-service.sql', [
      '-d',
      'ordersystem',
      '-v',
      `svc=${svc}`,
      '-v',
      `role=${svc}_svc`,
      '-v',
      `pw=${pw}`,
    ]);
    env[`${svc.toUpperCase()}_DATABASE_URL`] = `postgres://${svc}_svc:${pw}@${host}/ordersystem`;
  }
  return { container: pg, env };
}

async function startRedis(tc: Testcontainers, image: string): Promise<Part> {
  const redis = await new tc.GenericContainer(image)
    .withLabels(labels())
    .withCommand(['redis-server', '--save', '', '--appendonly', 'no'])
    .withExposedPorts(6379)
    .withWaitStrategy(tc.Wait.forLogMessage(/Ready to accept connections/))
    .start();
  return { container: redis, env: { REDIS_URL: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}` } };
}

/**
 * Kafka hands clients the advertised address, which must be the host's side of the mapping and
 * is fixed before start: a port that is free now, never the native broker's.
 */
async function startKafka(tc: Testcontainers, image: string): Promise<Part> {
  const hostPort = await freePort();
  const kafka = await new tc.GenericContainer(image)
    .withLabels(labels())
    .withExposedPorts({ container: 9092, host: hostPort })
    // The same broker settings as scripts/infra.d/server.properties.tmpl.
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${hostPort}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'true',
      KAFKA_NUM_PARTITIONS: '3',
      KAFKA_HEAP_OPTS: '-Xms256m -Xmx512m',
    })
    .withWaitStrategy(tc.Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(180_000)
    .start();
  return { container: kafka, env: { KAFKA_BROKERS: `127.0.0.1:${hostPort}` } };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DATABASE_SERVICES } from './infra-env';

const SQL_DIR = path.resolve(__dirname, '../../../scripts/infra.d');

/**
 * Starts PostgreSQL, Redis and Kafka with testcontainers when a Docker engine is reachable,
 * and provisions the same roles and schemas as `scripts/infra up` (same SQL files).
 * Returns the environment the tests need, or undefined when there is no container runtime.
 */
export async function startContainers(): Promise<Record<string, string> | undefined> {
  const tc = await import('testcontainers');
  try {
    await tc.getContainerRuntimeClient();
  } catch {
    return undefined;
  }
  const adminPw = randomBytes(12).toString('hex');
  const pg = await new tc.GenericContainer('postgres:16.6-alpine')
    .withEnvironment({ POSTGRES_PASSWORD: adminPw })
    .withExposedPorts(5432)
    .withCopyDirectoriesToContainer([{ source: SQL_DIR, target: '/infra.d' }])
    .withWaitStrategy(tc.Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  const psql = (args: string[]) => pg.exec(['psql', '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', ...args]);
  await psql(['-v', `admin_pw=${adminPw}`, '-f', '/infra.d/pg-init.sql']);
  const env: Record<string, string> = {};
  const host = `${pg.getHost()}:${pg.getMappedPort(5432)}`;
  env.DATABASE_ADMIN_URL = `postgres://postgres:${adminPw}@${host}/ordersystem`;
  for (const svc of DATABASE_SERVICES) {
    const pw = randomBytes(12).toString('hex');
    await psql(['-d', 'ordersystem', '-v', `svc=${svc}`, '-v', `role=${svc}_svc`, '-v', `pw=${pw}`, '-f', '/infra.d/pg-service.sql']);
    env[`${svc.toUpperCase()}_DATABASE_URL`] = `postgres://${svc}_svc:${pw}@${host}/ordersystem`;
  }
  const redis = await new tc.GenericContainer('redis:7.4-alpine').withExposedPorts(6379).start();
  env.REDIS_URL = `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`;
  const kafkaPort = 59092;
  const kafka = await new tc.GenericContainer('apache/kafka:3.9.1')
    .withExposedPorts({ container: kafkaPort, host: kafkaPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: `PLAINTEXT://:${kafkaPort},CONTROLLER://:9093`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://localhost:${kafkaPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withWaitStrategy(tc.Wait.forLogMessage(/Kafka Server started/))
    .start();
  env.KAFKA_BROKERS = `${kafka.getHost()}:${kafkaPort}`;
  return env;
}

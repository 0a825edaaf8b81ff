import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin, ITopicConfig } from 'kafkajs';
import { ConfigError, kafkaEnv, loadConfig } from '../index.js';
import { ensureTopics, kafkaSecurity } from './kafka.js';

describe('kafkaSecurity', () => {
  it('is plaintext without settings', () => {
    expect(kafkaSecurity(loadConfig(kafkaEnv, {}))).toEqual({});
  });

  it('uses TLS with the mounted CA bundle and SASL credentials', () => {
    const ca = join(mkdtempSync(join(tmpdir(), 'kafka-ca-')), 'ca.crt');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
    const config = loadConfig(kafkaEnv, {
      KAFKA_TLS: 'true',
      KAFKA_CA_FILE: ca,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'orders',
      KAFKA_SASL_PASSWORD: 'secret',
    });
    expect(kafkaSecurity(config)).toEqual({
      ssl: { ca: ['-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n'] },
      sasl: { mechanism: 'scram-sha-512', username: 'orders', password: 'secret' },
    });
  });

  it('refuses a mechanism without credentials, naming them', () => {
    const config = loadConfig(kafkaEnv, { KAFKA_SASL_MECHANISM: 'plain' });
    expect(() => kafkaSecurity(config)).toThrow(ConfigError);
    expect(() => kafkaSecurity(config)).toThrow(/KAFKA_SASL_USERNAME.*\n.*KAFKA_SASL_PASSWORD/);
  });
});

describe('ensureTopics', () => {
  function fakeAdmin(existing: string[]) {
    const created: ITopicConfig[] = [];
    const admin = {
      listTopics: async () => existing,
      createTopics: async ({ topics }: { topics: ITopicConfig[] }) => {
        created.push(...topics);
        return true;
      },
    } as unknown as Admin;
    return { admin, created };
  }

  it('creates missing topics with the explicit partition count and replication factor', async () => {
    const { admin, created } = fakeAdmin(['existing']);
    await ensureTopics(
      admin,
      [
        { topic: 'existing', numPartitions: 3 },
        { topic: 'events', numPartitions: 6 },
      ],
      3,
    );
    expect(created).toEqual([{ topic: 'events', numPartitions: 6, replicationFactor: 3 }]);
  });

  it('leaves the replication factor to the broker when none is configured', async () => {
    const { admin, created } = fakeAdmin([]);
    await ensureTopics(admin, [{ topic: 'events', numPartitions: 3 }]);
    expect(created).toEqual([{ topic: 'events', numPartitions: 3 }]);
  });
});

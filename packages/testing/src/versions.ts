import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The one version of each dependency (scripts/versions.env), shared with scripts/infra and compose. */
export interface DependencyVersions {
  postgres: string;
  redis: string;
  kafka: string;
}

const VERSIONS_FILE = path.resolve(__dirname, '../../../scripts/versions.env');

export function dependencyVersions(file = VERSIONS_FILE): DependencyVersions {
  const values = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(\S+)$/.exec(line.trim());
    if (match?.[1] && match[2]) values.set(match[1], match[2]);
  }
  const get = (name: string): string => {
    const value = values.get(name);
    if (!value) throw new Error(`${file} does not set ${name}`);
    return value;
  };
  return { postgres: get('POSTGRES_VERSION'), redis: get('REDIS_VERSION'), kafka: get('KAFKA_VERSION') };
}

/**
 * The images testcontainers starts: the official ones, tagged from the versions file. Where no
 * registry is reachable, `scripts/containers/podman images` builds local stand-ins of these names.
 */
export function dependencyImages(v: DependencyVersions = dependencyVersions()) {
  return {
    postgres: `postgres:${v.postgres}-bookworm`,
    redis: `redis:${v.redis}-bookworm`,
    kafka: `apache/kafka:${v.kafka}`,
  };
}

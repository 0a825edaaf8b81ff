import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DATABASE_SERVICES, type InfraEnv } from '@ordersystem/testing';
import { REPO_ROOT } from '../../harness/dev-env.js';
import { freePort } from '../../harness/ports.js';

const run = promisify(execFile);
const PG_BIN = '/usr/lib/postgresql/15/bin';
const isRoot = process.getuid?.() === 0;

export interface PrivatePostgres {
  /** Admin and per-service URLs in the shape the shared infrastructure's env has. */
  infra: Pick<InfraEnv, 'adminUrl' | 'serviceUrls'>;
  port: number;
  /** `pg_ctl stop -m fast`: every connection is terminated and the server is gone. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its data directory. */
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL cluster of the chaos run's own, made the way `scripts/infra` makes the shared one
 * (initdb as the `postgres` OS user when run as root, the roles, schemas and grants of
 * scripts/infra.d/*.sql), on a free loopback port, so an experiment can restart PostgreSQL without
 * disturbing anyone else's tests. Durability settings are off: this cluster only has to survive a
 * clean restart, and fsyncs would cost the 2-core machine time the experiments need.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  // Under /var/tmp rather than a private temp dir: the postgres OS user must be able to reach it.
  const base = path.join(isRoot ? '/var/tmp' : tmpdir(), `ordersystem-chaos-${randomBytes(4).toString('hex')}`);
  const data = path.join(base, 'data');
  const socketDir = path.join(base, 'run');
  mkdirSync(socketDir, { recursive: true });
  if (isRoot) await run('chown', ['-R', 'postgres:', base]);
  const asPg = (cmd: string, args: string[]) =>
    isRoot ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args);
  await asPg(`${PG_BIN}/initdb`, [
    '-D',
    data,
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--no-locale',
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
  ]);
  const port = await freePort();
  const options = `-p ${port} -k '${socketDir}' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
  const start = async () => {
    await asPg(`${PG_BIN}/pg_ctl`, [
      '-D',
      data,
      '-l',
      path.join(base, 'postgres.log'),
      '-w',
      '-t',
      '60',
      '-o',
      options,
      'start',
    ]);
  };
  const stop = async () => {
    await asPg(`${PG_BIN}/pg_ctl`, ['-D', data, '-m', 'fast', '-w', 'stop']);
  };
  await start();
  process.once('exit', () => {
    // Never leave a server behind if the run dies: immediate stop, best effort.
    spawn(
      isRoot ? 'runuser' : `${PG_BIN}/pg_ctl`,
      isRoot
        ? ['-u', 'postgres', '--', `${PG_BIN}/pg_ctl`, '-D', data, '-m', 'immediate', 'stop']
        : ['-D', data, '-m', 'immediate', 'stop'],
      { stdio: 'ignore', detached: true },
    );
  });

  const passwords = Object.fromEntries(
    ['postgres', ...DATABASE_SERVICES].map((r) => [r, randomBytes(16).toString('hex')]),
  );
  await provision(socketDir, port, passwords);
  const url = (role: string, password: string) => `postgres://${role}:${password}@127.0.0.1:${port}/ordersystem`;
  return {
    port,
    infra: {
      adminUrl: url('postgres', passwords.postgres!),
      serviceUrls: Object.fromEntries(
        DATABASE_SERVICES.map((s) => [s, url(`${s}_svc`, passwords[s]!)]),
      ) as InfraEnv['serviceUrls'],
    },
    stop,
    start,
    destroy: async () => {
      await stop().catch(() => undefined);
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** scripts/infra's pg_provision: pg-init.sql once, pg-service.sql per service, passwords via \set on stdin. */
async function provision(socketDir: string, port: number, passwords: Record<string, string>): Promise<void> {
  const sql = (file: string) => readFileSync(path.join(REPO_ROOT, 'scripts/infra.d', file), 'utf8');
  const script = [
    `\\set admin_pw ${passwords.postgres}`,
    sql('pg-init.sql'),
    ...DATABASE_SERVICES.flatMap((svc) => [
      `\\set svc ${svc}`,
      `\\set role ${svc}_svc`,
      `\\set pw ${passwords[svc]}`,
      sql('pg-service.sql'),
    ]),
  ].join('\n');
  await new Promise<void>((resolve, reject) => {
    const psql = spawn(
      'psql',
      ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', 'postgres'],
      {
        env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
        stdio: ['pipe', 'ignore', 'pipe'],
      },
    );
    const errors: string[] = [];
    psql.stderr.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
    psql.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`provisioning the private PostgreSQL failed: ${errors.join('')}`)),
    );
    psql.stdin.end(script);
  });
}

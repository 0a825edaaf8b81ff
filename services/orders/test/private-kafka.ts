import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { REPO_ROOT } from '@ordersystem/testing';

const KAFKA_LIB = path.join(
  process.env.ORDERSYSTEM_CACHE ?? path.join(homedir(), '.cache/ordersystem'),
  'kafka-3.9.1/lib',
);
const INFRA_D = path.join(REPO_ROOT, 'scripts/infra.d');
/** 16 random-looking bytes, base64url: KRaft wants a 22-character cluster id. */
const CLUSTER_ID = 'b3JkZXJzLXByaXZhdGUxMg';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A single-node KRaft broker of our own, configured like scripts/infra's (same template), on
 * free ports with its own data dir, so a test can stop and restart Kafka without touching the
 * shared broker other tests use. Every process is tracked by PID and killed in `destroy`.
 */
export class PrivateKafka {
  private child: ChildProcess | undefined;
  readonly dir = mkdtempSync(path.join(tmpdir(), 'orders-kafka-'));
  private props = path.join(this.dir, 'server.properties');

  private constructor(readonly port: number) {}

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  static async create(): Promise<PrivateKafka> {
    const kafka = new PrivateKafka(await freePort());
    const template = readFileSync(path.join(INFRA_D, 'server.properties.tmpl'), 'utf8');
    const rendered = template
      .replaceAll('@PORT@', String(kafka.port))
      .replaceAll('@CONTROLLER_PORT@', String(await freePort()))
      .replaceAll('@DATA_DIR@', path.join(kafka.dir, 'data'));
    writeFileSync(kafka.props, rendered);
    await kafka.java(['kafka.tools.StorageTool', 'format', '-t', CLUSTER_ID, '-c', kafka.props, '--ignore-formatted'])
      .exited;
    return kafka;
  }

  /** Starts the broker (again, on the same ports and data) and waits until it serves metadata. */
  async start(): Promise<void> {
    this.child = this.java(['-Xmx384m', 'kafka.Kafka', this.props]).child;
    const admin = new Kafka({
      clientId: 'private-kafka-probe',
      brokers: this.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await admin.connect();
        await admin.describeCluster();
        await admin.disconnect();
        return;
      } catch (err) {
        await admin.disconnect().catch(() => undefined);
        if (this.child.exitCode !== null || Date.now() > deadline)
          throw new Error(`private kafka did not start: ${String(err)}`, { cause: err });
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  }

  /** SIGTERM (clean shutdown), SIGKILL after a timeout; resolves once the process is gone. */
  async stop(timeoutMs = 20_000): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await gone;
    clearTimeout(timer);
  }

  async destroy(): Promise<void> {
    await this.stop(5_000);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private java(args: string[]): { child: ChildProcess; exited: Promise<number | null> } {
    const child = spawn(
      'java',
      [
        '-Djava.awt.headless=true',
        `-Dkafka.logs.dir=${this.dir}`,
        `-Dlog4j.configuration=file:${INFRA_D}/log4j.properties`,
        '-cp',
        `${KAFKA_LIB}/*`,
        ...args,
      ],
      { stdio: 'ignore' },
    );
    return { child, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
  }
}

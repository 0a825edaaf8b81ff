import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { freePort } from '../../harness/ports.js';
import { eventually } from '../../harness/poll.js';

export interface PrivateRedis {
  url: string;
  pid(): number | undefined;
  /** SIGTERM by PID; resolves once the process is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: it keeps nothing on disk). */
  start(): Promise<void>;
}

/**
 * A Redis server of the chaos run's own, on a free loopback port, so an experiment can stop and
 * start it by PID without touching the Redis that other test runs share. No persistence: after a
 * restart it is empty, as a Redis that lost its memory would be.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const ping = () => pingRedis(port);
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
      {
        stdio: 'ignore',
      },
    );
    const exited = child;
    process.once('exit', () => exited.kill('SIGKILL'));
    await eventually('private redis-server', ping, { timeoutMs: 10_000, intervalMs: 100 });
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: () => child?.pid,
    start,
    stop: async () => {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const gone = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await gone;
    },
  };
}

/** One inline PING over a plain socket: true on +PONG, undefined while it is not answering yet. */
function pingRedis(port: number): Promise<true | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1_000, () => socket.destroy());
    socket.once('error', () => resolve(undefined));
    socket.once('close', () => resolve(undefined));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      resolve(data.toString().startsWith('+PONG') ? true : undefined);
      socket.destroy();
    });
  });
}

import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

// A failed test must never leave a service running: its open pipes would keep jest waiting
// forever. Whatever is still alive when this worker exits is killed.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface RunningService {
  name: string;
  port: number;
  opsPort: number;
  pid: number;
  child: ChildProcess;
  /** Every log line the process printed so far (parsed JSON where possible). */
  logs: Array<Record<string, unknown>>;
  /** Sends a signal and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts a service from its compiled dist/ exactly as the run command does (separate process,
 * telemetry preloaded), on free ports, and resolves once it logs that it is listening.
 */
export async function startService(
  name: string,
  env: Record<string, string>,
  /** early: resolve as soon as the early listener answers probes, before the dependencies do. */
  options: { entry?: string; cwd?: string; timeoutMs?: number; early?: boolean } = {},
): Promise<RunningService> {
  const cwd = options.cwd ?? path.join(REPO_ROOT, 'services', name);
  const child = spawn(
    process.execPath,
    // The same flags as the image's CMD (Dockerfile explains the semi-space size).
    ['--max-semi-space-size=16', '--require', '@ordersystem/platform/telemetry', options.entry ?? 'dist/main.js'],
    {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', OPS_PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  const logs: Array<Record<string, unknown>> = [];
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<{ port: number; opsPort: number }>((resolve, reject) => {
    // Generous: a shared 2-core machine under a full parallel suite can take 20 s to boot a service.
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start: ${stderr.join('')}`)),
      options.timeoutMs ?? 45_000,
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = parseLine(line);
      logs.push(entry);
      const at = (options.early ? entry.early : entry) as Record<string, unknown> | undefined;
      if (typeof at?.port === 'number' && typeof at.opsPort === 'number') {
        clearTimeout(timer);
        resolve({ port: at.port, opsPort: at.opsPort });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening: ${stderr.join('')}`));
    });
  });
  const { port, opsPort } = await listening;
  return {
    name,
    port,
    opsPort,
    pid: child.pid!,
    child,
    logs,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

function parseLine(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { message: line };
  }
}

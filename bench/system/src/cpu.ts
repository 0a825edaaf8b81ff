import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * CPU time per process, read from /proc: what each part of the system really spent during a load
 * window. Profiles count wall-clock samples, which on a contended 2-core machine include time a
 * process waited for a core; these counters do not.
 */
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Stat {
  ppid: number;
  /** user + system ticks of the process itself */
  own: number;
  /** user + system ticks of its children that exited and were waited for */
  reaped: number;
}

function statOf(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may contain spaces: split after the last ')'.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), reaped: Number(f[13]) + Number(f[14]) };
}

/**
 * Milliseconds of CPU of `pid` and every descendant, living or already reaped; `part` splits the
 * process itself from its descendants (the bench from the k6 it runs).
 */
export function treeCpuMs(
  pid: number,
  part: 'tree' | 'own' | 'descendants' = 'tree',
  except: ReadonlySet<number> = new Set(),
): number {
  const byParent = new Map<number, number[]>();
  const stats = new Map<number, Stat>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = statOf(Number(name));
    if (!s) continue;
    stats.set(Number(name), s);
    byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), Number(name)]);
  }
  let ticks = 0;
  const visit = (p: number, root: boolean) => {
    const s = stats.get(p);
    if (!s || (!root && except.has(p))) return;
    if (!root || part !== 'descendants') ticks += s.own;
    if (root && part !== 'own') ticks += s.reaped;
    if (root && part === 'own') return;
    for (const child of byParent.get(p) ?? []) visit(child, false);
  };
  visit(pid, true);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** The whole machine's busy CPU so far (all cores), from /proc/stat. */
function machineBusyMs(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3]! + cpu[4]!;
  return ((cpu.reduce((a, b) => a + b, 0) - idle) * 1000) / TICKS_PER_SECOND;
}

function pidFromFile(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The processes worth counting: each service, the infrastructure, the bench itself (it hosts the
 * OIDC provider, the SMTP and Twilio sinks) and k6 (its child).
 */
export function cpuSubjects(
  services: Record<string, { pid: number }>,
  known: { postgres?: number },
  infraDir: string,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, svc] of Object.entries(services)) out[name] = svc.pid;
  const infra = {
    postgres: known.postgres,
    kafka: pidFromFile(path.join(infraDir, 'kafka/kafka.pid')),
    redis: pidFromFile(path.join(infraDir, 'redis/redis.pid')),
  };
  for (const [name, pid] of Object.entries(infra)) if (pid) out[name] = pid;
  out[BENCH] = process.pid;
  out[K6] = process.pid;
  return out;
}

const BENCH = 'bench (sinks)';
const K6 = 'k6';

export type CpuSnapshot = { at: number; machine: number; perProcess: Record<string, number> };

export function cpuSnapshot(subjects: Record<string, number>): CpuSnapshot {
  const perProcess: Record<string, number> = {};
  // The services are the bench's children too: k6 is what is left of its descendants.
  const others = new Set(
    Object.entries(subjects).flatMap(([name, pid]) => (name === BENCH || name === K6 ? [] : [pid])),
  );
  for (const [name, pid] of Object.entries(subjects))
    perProcess[name] = treeCpuMs(pid, name === BENCH ? 'own' : name === K6 ? 'descendants' : 'tree', others);
  return { at: Date.now(), machine: machineBusyMs(), perProcess };
}

export interface CpuFigures {
  seconds: number;
  /** cores busy on the whole machine during the window (2 = both cores) */
  machineCores: number;
  perProcess: Array<{ name: string; cores: number; msPerUnit: number }>;
  /** CPU ms per unit of work (per order, per read) summed over all counted processes */
  totalMsPerUnit: number;
}

/** What each process spent between two snapshots, as cores and as CPU ms per unit of work. */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot, units: number): CpuFigures {
  const seconds = (b.at - a.at) / 1000;
  const perProcess = Object.keys(b.perProcess).map((name) => {
    const ms = b.perProcess[name]! - (a.perProcess[name] ?? 0);
    return { name, cores: ms / 1000 / seconds, msPerUnit: ms / Math.max(units, 1) };
  });
  return {
    seconds,
    machineCores: (b.machine - a.machine) / 1000 / seconds,
    perProcess,
    totalMsPerUnit: perProcess.reduce((t, p) => t + p.msPerUnit, 0),
  };
}

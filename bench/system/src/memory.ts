import { readFileSync } from 'node:fs';

export interface MemoryFigures {
  /** Resident set size from /proc (what the kernel charges the process). */
  rssMiB: number;
  /** The highest RSS the process ever had (VmHWM): a peak between two measurements shows here. */
  peakRssMiB: number;
  /** From prom-client's default metrics on the service's ops port. */
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
  /** RSS not explained by the JS heap nor external buffers: code, V8's other spaces, native allocations. */
  otherMiB: number;
}

const MiB = 2 ** 20;

/** One service's memory right now: the kernel's RSS and the V8 breakdown it reports itself. */
export async function memoryOf(svc: { pid: number; opsPort: number }): Promise<MemoryFigures> {
  const status = readFileSync(`/proc/${svc.pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  const peakKiB = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  const text = await (await fetch(`http://127.0.0.1:${svc.opsPort}/metrics`)).text();
  const metric = (name: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line ? Number(line.split(' ').pop()) : NaN;
  };
  const rssMiB = (rssKiB * 1024) / MiB;
  const heapTotalMiB = metric('nodejs_heap_size_total_bytes') / MiB;
  const externalMiB = metric('nodejs_external_memory_bytes') / MiB;
  return {
    rssMiB,
    peakRssMiB: (peakKiB * 1024) / MiB,
    heapUsedMiB: metric('nodejs_heap_size_used_bytes') / MiB,
    heapTotalMiB,
    externalMiB,
    otherMiB: rssMiB - heapTotalMiB - externalMiB,
  };
}

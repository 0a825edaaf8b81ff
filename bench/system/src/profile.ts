import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  startTime: number;
  endTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A wall-clock window (Date.now() values) and when the profiled process exited. */
export interface ProfileWindow {
  name: string;
  from: number;
  to: number;
  exitedAt: number;
}

export interface ProfileSummary {
  file: string;
  window: string;
  /** CPU time spent (idle excluded) within the window, and the window's length. */
  busyMs: number;
  wallMs: number;
  /** Self time by function, highest first. */
  frames: Array<{ frame: string; ms: number; share: number }>;
  /** Self time by where the code lives: a package, node internals, our services, GC, idle. */
  areas: Array<{ area: string; ms: number; share: number }>;
}

/**
 * Summarises the .cpuprofile (`node --cpu-prof`) in `dir` over one load window: where the busy
 * CPU time went, by self time (idle excluded). The profile's clock is mapped to wall-clock time
 * through its end, which is the moment the process exited.
 */
export function summariseProfiles(dir: string, window: ProfileWindow, top = 12): ProfileSummary[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((file) => summarise(path.join(dir, file), window, top));
}

function summarise(file: string, window: ProfileWindow, top: number): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    const wall = window.exitedAt - (profile.endTime - t) / 1000;
    if (wall < window.from || wall > window.to) return;
    if (byId.get(id)?.callFrame.functionName === '(idle)') return;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const frames = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  for (const [id, micros] of self) {
    const { callFrame } = byId.get(id)!;
    const ms = micros / 1000;
    total += ms;
    const where = shortUrl(callFrame.url);
    const frame = `${callFrame.functionName || '(anonymous)'}${where ? ` ${where}:${callFrame.lineNumber + 1}` : ''}`;
    frames.set(frame, (frames.get(frame) ?? 0) + ms);
    const area = areaOf(callFrame);
    areas.set(area, (areas.get(area) ?? 0) + ms);
  }
  const ranked = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    file: path.basename(file),
    window: window.name,
    busyMs: total,
    wallMs: window.to - window.from,
    frames: ranked(frames).map(([frame, ms]) => ({ frame, ms, share: ms / total })),
    areas: ranked(areas).map(([area, ms]) => ({ area, ms, share: ms / total })),
  };
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const repo = url.indexOf('/services/') >= 0 ? url.indexOf('/services/') : url.indexOf('/packages/');
  return repo >= 0 ? url.slice(repo + 1) : url.replace(/^file:\/\//, '');
}

function areaOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native/V8 builtins)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const m = /\/(services|packages)\/([^/]+)\//.exec(url);
  return m ? `${m[1]}/${m[2]}` : url;
}

import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root (e2e/harness → ../..; also right from the compiled bench copy, see resolveRepoRoot). */
export const REPO_ROOT = resolveRepoRoot(__dirname);

function resolveRepoRoot(dir: string): string {
  // Compiled for the benchmark, this file lives in bench/system/dist/e2e/harness.
  const marker = `${path.sep}bench${path.sep}system${path.sep}dist${path.sep}`;
  const at = dir.indexOf(marker);
  return at >= 0 ? dir.slice(0, at) : path.resolve(dir, '../..');
}

/**
 * A service's `services/<svc>/dev.env` as `scripts/dev up` sees it: `KEY=value` lines, `#`
 * comments, and `${VAR}` resolved against `env` (the infrastructure's `.infra/env`, already in
 * process.env after the jest global setup) and the lines above it, like `set -a; source`.
 */
export function readDevEnv(service: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const file = path.join(REPO_ROOT, 'services', service, 'dev.env');
  const out: Record<string, string> = {};
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    const value = unquote(match[2]!.trim());
    out[match[1]!] = value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (_, a?: string, b?: string) => {
        const name = (a ?? b)!;
        return out[name] ?? env[name] ?? '';
      },
    );
  }
  return out;
}

function unquote(value: string): string {
  if (
    value.length >= 2 &&
    ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))
  ) {
    return value.slice(1, -1);
  }
  return value;
}

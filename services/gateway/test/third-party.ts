import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@ordersystem/testing';

const run = promisify(execFile);

export interface ToolResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

async function tool(file: string, args: string[]): Promise<ToolResult> {
  try {
    const { stdout, stderr } = await run(file, args, { timeout: 20_000 });
    return { exitCode: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { exitCode: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** grpcurl, pinned and built once by scripts/go-tool (the first run builds it: allow minutes). */
export async function grpcurl(args: string[]): Promise<ToolResult> {
  const { stdout } = await run(path.join(REPO_ROOT, 'scripts/go-tool'), ['grpcurl'], { timeout: 600_000 });
  return tool(stdout.trim(), args);
}

/** buf curl from the repo's pinned @bufbuild/buf; the schema comes from server reflection. */
export function bufCurl(args: string[]): Promise<ToolResult> {
  return tool(path.join(REPO_ROOT, 'node_modules/.bin/buf'), ['curl', ...args]);
}

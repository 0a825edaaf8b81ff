/** RPCs each service answered, from its own `rpc_server_requests_total` (the ops port's /metrics). */
export type RpcCounts = Record<string, number>;

export async function rpcCounts(services: Record<string, { opsPort: number }>): Promise<RpcCounts> {
  const out: RpcCounts = {};
  for (const [name, svc] of Object.entries(services)) {
    const text = await (await fetch(`http://127.0.0.1:${svc.opsPort}/metrics`)).text();
    for (const line of text.split('\n')) {
      if (!line.startsWith('rpc_server_requests_total{')) continue;
      const method = /method="([^"]+)"/.exec(line)?.[1];
      const key = `${name} ${method}`;
      out[key] = (out[key] ?? 0) + Number(line.split(' ').pop());
    }
  }
  return out;
}

/** Calls per unit of work between two readings, the busiest first, leaving out the ones that did not move. */
export function rpcsPer(before: RpcCounts, after: RpcCounts, units: number): Array<{ rpc: string; perUnit: number }> {
  return Object.entries(after)
    .map(([rpc, n]) => ({ rpc, perUnit: (n - (before[rpc] ?? 0)) / Math.max(units, 1) }))
    .filter((r) => r.perUnit > 0)
    .sort((a, b) => b.perUnit - a.perUnit);
}

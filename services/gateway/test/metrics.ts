/** Sum of a counter's samples whose labels include every given label (Prometheus text format). */
export async function counter(opsUrl: string, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${opsUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.lastIndexOf('}'));
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`)))
      total += Number(line.split(' ').pop());
  }
  return total;
}

/** How many calls of `method` an upstream has handled so far (any result). */
export const upstreamCalls = (opsUrl: string, method: string) =>
  counter(opsUrl, 'rpc_server_requests_total', { method });

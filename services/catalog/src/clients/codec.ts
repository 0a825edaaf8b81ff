/**
 * JSON that keeps bigint and Date values, so cached domain objects come back with the same types.
 * Tagged as {"$b": "12"} and {"$d": "2026-01-01T00:00:00.000Z"}.
 */
export function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return { $d: raw.toISOString() };
    if (typeof v === 'bigint') return { $b: v.toString() };
    return v;
  });
}

export function decode<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o.$b === 'string') return BigInt(o.$b);
      if (typeof o.$d === 'string') return new Date(o.$d);
    }
    return v;
  }) as T;
}

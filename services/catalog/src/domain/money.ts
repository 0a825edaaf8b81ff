/**
 * The mean of integer minor-unit amounts, rounded to a whole minor unit with halves away from zero
 * (1,1,2 → 1; 1,2 → 2; -1,-2 → -2). This mirrors PostgreSQL's round(avg(bigint)) on numeric, which is
 * what the stats query uses; it exists so the rule is stated and unit-tested in one place.
 */
export function averageMinor(values: readonly bigint[]): bigint | undefined {
  if (values.length === 0) return undefined;
  const sum = values.reduce((a, b) => a + b, 0n);
  const n = BigInt(values.length);
  const quotient = sum / n; // truncates toward zero
  const remainder = sum % n;
  const abs = (x: bigint) => (x < 0n ? -x : x);
  if (abs(remainder) * 2n >= n) return quotient + (sum < 0n ? -1n : 1n);
  return quotient;
}

/** Price statistics of the active products under a category. */
export interface CategoryStats {
  categoryId: string;
  activeProductCount: bigint;
  minPriceMinor?: bigint;
  maxPriceMinor?: bigint;
  averagePriceMinor?: bigint;
  currencyCode: string;
}

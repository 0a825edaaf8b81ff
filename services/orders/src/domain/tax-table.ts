import { failedPrecondition } from '@ordersystem/platform/errors';

/** Tax rate per tax class, in basis points (1600 = 16 %). */
export type TaxTable = Readonly<Record<string, number>>;

/** Kenya's VAT set-up the shop started with: standard 16 %, a reduced 8 % class and zero-rated goods. */
export const DEFAULT_TAX_TABLE: TaxTable = Object.freeze({ standard: 1600, reduced: 800, zero: 0 });

/**
 * The rate of `taxClass`. A product whose class the table does not know cannot be priced, so
 * the order is refused (`failed_precondition`, naming the line) rather than taxed at a guess.
 */
export function rateFor(table: TaxTable, taxClass: string, field: string): number {
  const rate = table[taxClass];
  if (rate === undefined) throw failedPrecondition(`no tax rate configured for tax class "${taxClass}"`, field);
  return rate;
}

/** Checks a parsed TAX_RATES value: integer basis points between 0 and 10000 per class. */
export function validateTaxTable(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'must be a JSON object of class -> basis points';
  for (const [cls, rate] of Object.entries(value)) {
    if (!Number.isInteger(rate) || (rate as number) < 0 || (rate as number) > 10_000)
      return `rate of "${cls}" must be an integer 0..10000`;
  }
  return undefined;
}

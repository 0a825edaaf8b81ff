/** An amount in integer minor units of a currency (cents for EUR), as carried by events. */
export interface Money {
  currencyCode: string;
  amountMinor: bigint;
}

/**
 * Formats minor units for people ("€1,234.50") without ever going through a float: the amount
 * is turned into an exact decimal string and Intl formats that string. Unknown currency codes
 * fall back to "1234.50 XYZ".
 */
export function formatMoney(money: Money, locale = 'en-GB'): string {
  const { formatter, digits } = formatterFor(locale, money.currencyCode);
  const decimal = toDecimalString(money.amountMinor, digits);
  if (!formatter) return `${decimal} ${money.currencyCode}`;
  // Intl.NumberFormat formats decimal strings exactly (ES2023); the typings only know numbers.
  return formatter.format(decimal as unknown as number);
}

/** Building an Intl.NumberFormat costs far more than formatting with one (it was 2 % of this service's CPU). */
const formatters = new Map<string, { formatter?: Intl.NumberFormat; digits: number }>();

function formatterFor(locale: string, currencyCode: string): { formatter?: Intl.NumberFormat; digits: number } {
  const key = `${locale} ${currencyCode}`;
  let entry = formatters.get(key);
  if (!entry) {
    try {
      const formatter = new Intl.NumberFormat(locale, { style: 'currency', currency: currencyCode });
      entry = { formatter, digits: formatter.resolvedOptions().maximumFractionDigits ?? 2 };
    } catch {
      entry = { digits: 2 };
    }
    // Currency codes come from events: bound the cache so junk codes cannot grow it without end.
    if (formatters.size >= 256) formatters.clear();
    formatters.set(key, entry);
  }
  return entry;
}

function toDecimalString(amountMinor: bigint, digits: number): string {
  const negative = amountMinor < 0n;
  const abs = (negative ? -amountMinor : amountMinor).toString().padStart(digits + 1, '0');
  const whole = abs.slice(0, abs.length - digits);
  const fraction = digits > 0 ? `.${abs.slice(abs.length - digits)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

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
  let digits = 2;
  let formatter: Intl.NumberFormat | undefined;
  try {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currencyCode });
    digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    formatter = undefined;
  }
  const decimal = toDecimalString(money.amountMinor, digits);
  if (!formatter) return `${decimal} ${money.currencyCode}`;
  // Intl.NumberFormat formats decimal strings exactly (ES2023); the typings only know numbers.
  return formatter.format(decimal as unknown as number);
}

function toDecimalString(amountMinor: bigint, digits: number): string {
  const negative = amountMinor < 0n;
  const abs = (negative ? -amountMinor : amountMinor).toString().padStart(digits + 1, '0');
  const whole = abs.slice(0, abs.length - digits);
  const fraction = digits > 0 ? `.${abs.slice(abs.length - digits)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

import { type Timestamp, timestampDate } from '@bufbuild/protobuf/wkt';
import type { Money } from '@ordersystem/contracts/ordersystem/common/v1/money';

/** Digits after the decimal point of a currency (2 for KES and EUR, 0 for JPY, 3 for KWD). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** An amount in integer minor units, shown in its currency in the browser's locale. */
export function formatMoney(m: Pick<Money, 'currencyCode' | 'amountMinor'> | undefined): string {
  if (!m || !m.currencyCode) return '—';
  const digits = minorDigits(m.currencyCode);
  const major = Number(m.amountMinor) / 10 ** digits;
  return new Intl.NumberFormat(undefined, { style: 'currency', currency: m.currencyCode }).format(major);
}

/** "12.5" in a currency with 2 minor digits is 1250n; undefined for anything that is not such a number. */
export function parseMinor(text: string, currency: string): bigint | undefined {
  const digits = minorDigits(currency);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match || (match[2]?.length ?? 0) > digits) return undefined;
  return BigInt(match[1]!) * 10n ** BigInt(digits) + BigInt((match[2] ?? '').padEnd(digits, '0') || '0');
}

/** Minor units back to the text a person types, e.g. 1250n → "12.50". */
export function minorToText(minor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return minor.toString();
  const s = minor.toString().padStart(digits + 1, '0');
  return `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** A time in the browser's own time zone. */
export function formatTime(ts: Timestamp | undefined): string {
  return ts ? timestampDate(ts).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';
}

/** Local midnight of a yyyy-mm-dd date input, or of `daysAgo` days before today. */
export function localMidnight(date?: string, daysAgo = 0): Date {
  const d = date ? new Date(`${date}T00:00:00`) : new Date();
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - daysAgo);
  return d;
}

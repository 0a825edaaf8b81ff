/**
 * SMS length rules. GSM-7 messages fit 160 characters in one segment and 153 per segment once
 * concatenated; the extension table (€, [, ], {, }, ~, ^, |, \) costs two septets. Any other
 * character forces UCS-2: 70 code units alone, 67 per concatenated segment.
 */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENDED = '\f^{}\\[~]|€';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** Septets (GSM-7) or UTF-16 code units (UCS-2) one character costs. */
function unitCost(char: string, encoding: SmsEncoding): number {
  if (encoding === 'UCS-2') return char.length;
  return GSM7_EXTENDED.includes(char) ? 2 : 1;
}

export function encodingOf(text: string): SmsEncoding {
  for (const char of text) {
    if (!GSM7_BASIC.includes(char) && !GSM7_EXTENDED.includes(char)) return 'UCS-2';
  }
  return 'GSM-7';
}

/** Length in the units that segment limits are counted in. */
export function smsUnits(text: string, encoding: SmsEncoding = encodingOf(text)): number {
  let units = 0;
  for (const char of text) units += unitCost(char, encoding);
  return units;
}

/** How many segments the provider will bill for `text`. */
export function countSegments(text: string): number {
  const encoding = encodingOf(text);
  const units = smsUnits(text, encoding);
  const [single, multi] = encoding === 'GSM-7' ? [160, 153] : [70, 67];
  if (units <= single) return 1;
  return Math.ceil(units / multi);
}

/** Most units `segments` concatenated segments hold: 2 → 306 septets or 134 UCS-2 units. */
export function capacity(encoding: SmsEncoding, segments: number): number {
  if (segments === 1) return encoding === 'GSM-7' ? 160 : 70;
  return segments * (encoding === 'GSM-7' ? 153 : 67);
}

/**
 * Truncates `text` on purpose so it fits `maxSegments` (default 2), ending with an ellipsis:
 * "..." in GSM-7 (the "…" character is not GSM-7 and would force UCS-2), "…" in UCS-2.
 * Never splits a surrogate pair or an extension-table escape.
 */
export function fitSms(text: string, maxSegments = 2): string {
  const encoding = encodingOf(text);
  const limit = capacity(encoding, maxSegments);
  if (smsUnits(text, encoding) <= limit) return text;
  const ellipsis = encoding === 'GSM-7' ? '...' : '…';
  const budget = limit - smsUnits(ellipsis, encoding);
  let used = 0;
  let kept = '';
  for (const char of text) {
    const cost = unitCost(char, encoding);
    if (used + cost > budget) break;
    used += cost;
    kept += char;
  }
  return kept.trimEnd() + ellipsis;
}

import { invalidField } from '@ordersystem/platform/errors';
import { type CountryCode, parsePhoneNumberWithError } from 'libphonenumber-js/max';

/**
 * Normalises a phone number typed by a person into E.164 ("+254712345678"). Numbers without a
 * country prefix are read in `defaultRegion` (the original system served Kenya, hence KE by
 * default). An empty string means "no phone number" and is returned as is. Anything that is not
 * a valid, dialable number is rejected as `invalid_argument` on `field`.
 */
export function normalisePhoneNumber(raw: string, defaultRegion: string, field = 'phone_number'): string {
  const input = raw.trim();
  if (input === '') return '';
  if (input.length > 40) throw invalidField(field, 'is not a phone number');
  try {
    const phone = parsePhoneNumberWithError(input, { defaultCountry: defaultRegion as CountryCode });
    // isValid (the "max" metadata) checks the number plan, not just the length: 0700000000 in KE passes, 0100 does not.
    if (!phone.isValid()) throw new Error('invalid');
    return phone.number;
  } catch {
    throw invalidField(field, `is not a valid phone number (E.164, or national in region ${defaultRegion})`);
  }
}

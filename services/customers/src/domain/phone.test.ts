import { AppError } from '@ordersystem/platform/errors';
import { normalisePhoneNumber } from './phone';

describe('normalisePhoneNumber', () => {
  it.each([
    ['0712345678', 'KE', '+254712345678'],
    ['0712 345 678', 'KE', '+254712345678'],
    ['+254 712 345678', 'KE', '+254712345678'],
    ['254712345678', 'KE', '+254712345678'],
    ['(415) 555-0132', 'US', '+14155550132'],
    ['+1 415-555-0132', 'KE', '+14155550132'],
    ['020 7946 0018', 'GB', '+442079460018'],
    ['07400 123456', 'GB', '+447400123456'],
    ['+44 7400 123456', 'US', '+447400123456'],
  ])('normalises %s (region %s) to %s', (raw, region, expected) => {
    expect(normalisePhoneNumber(raw, region)).toBe(expected);
  });

  it('keeps an empty string as "no phone number"', () => {
    expect(normalisePhoneNumber('  ', 'KE')).toBe('');
  });

  it.each(['12345', '0712', 'not a number', '+999 123 456 789', '07123456789012345', '+1 555 000 0000'])(
    'rejects %s as invalid_argument on phone_number',
    (raw) => {
      let error: unknown;
      try {
        normalisePhoneNumber(raw, 'KE');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ kind: 'invalid_argument', violations: [{ field: 'phone_number' }] });
    },
  );
});

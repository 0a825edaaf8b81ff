import { isConfiguredAdmin, nameFromProvider, normaliseRoles, validateName } from './customer';

describe('customer rules', () => {
  it('accepts names of 1 to 200 characters, trimmed, and names the field otherwise', () => {
    expect(validateName('  Amina  ')).toBe('Amina');
    expect(validateName('é'.repeat(200))).toHaveLength(200);
    expect(() => validateName('')).toThrow(
      expect.objectContaining({ violations: [expect.objectContaining({ field: 'name' })] }),
    );
    expect(() => validateName('x'.repeat(201))).toThrow(/at most 200/);
  });

  it('takes the provider name, or the local part of the email when there is none', () => {
    expect(nameFromProvider({ name: ' Jo ', email: 'jo@x.test' })).toBe('Jo');
    expect(nameFromProvider({ name: '', email: 'kip@x.test' })).toBe('kip');
    expect([...nameFromProvider({ name: 'n'.repeat(300), email: 'a@b' })]).toHaveLength(200);
  });

  it('grants configured admin only for a verified email, case-insensitively', () => {
    expect(isConfiguredAdmin({ email: 'Boss@X.test', emailVerified: true }, ['boss@x.test'])).toBe(true);
    expect(isConfiguredAdmin({ email: 'boss@x.test', emailVerified: false }, ['boss@x.test'])).toBe(false);
    expect(isConfiguredAdmin({ email: 'other@x.test', emailVerified: true }, ['boss@x.test'])).toBe(false);
  });

  it('always keeps the customer role, without duplicates', () => {
    expect(normaliseRoles([])).toEqual(['customer']);
    expect(normaliseRoles(['admin', 'admin', 'customer'])).toEqual(['customer', 'admin']);
  });
});

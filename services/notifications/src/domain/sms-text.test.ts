import { capacity, countSegments, encodingOf, fitSms, smsUnits } from './sms-text';

describe('SMS segments', () => {
  it('counts plain GSM-7 text as one segment up to 160 characters', () => {
    expect(encodingOf('Hello @ £5')).toBe('GSM-7');
    expect(countSegments('a'.repeat(160))).toBe(1);
    expect(countSegments('a'.repeat(161))).toBe(2);
    expect(countSegments('a'.repeat(306))).toBe(2);
    expect(countSegments('a'.repeat(307))).toBe(3);
  });

  it('counts extension-table characters as two septets', () => {
    expect(smsUnits('€[]')).toBe(6);
    expect(countSegments('€'.repeat(80))).toBe(1);
    expect(countSegments('€'.repeat(81))).toBe(2);
  });

  it('switches to UCS-2 for characters outside GSM-7, with 70 and 67 per segment', () => {
    expect(encodingOf('Zoë 😀')).toBe('UCS-2');
    expect(countSegments('ж'.repeat(70))).toBe(1);
    expect(countSegments('ж'.repeat(71))).toBe(2);
    expect(countSegments('ж'.repeat(134))).toBe(2);
    expect(capacity('UCS-2', 2)).toBe(134);
  });
});

describe('fitSms', () => {
  it('leaves text that fits two segments alone', () => {
    const text = 'a'.repeat(306);
    expect(fitSms(text)).toBe(text);
  });

  it('truncates long GSM-7 text to 306 septets ending in a GSM-7 ellipsis', () => {
    const fitted = fitSms('word '.repeat(100));
    expect(fitted.endsWith('...')).toBe(true);
    expect(smsUnits(fitted)).toBeLessThanOrEqual(306);
    expect(encodingOf(fitted)).toBe('GSM-7');
    expect(countSegments(fitted)).toBe(2);
  });

  it('never splits an extension character across the limit', () => {
    const fitted = fitSms('€'.repeat(200));
    expect(smsUnits(fitted)).toBeLessThanOrEqual(306);
    expect(fitted).toMatch(/^€+\.\.\.$/);
  });

  it('truncates UCS-2 text to 134 code units without splitting surrogate pairs', () => {
    const fitted = fitSms('😀'.repeat(100));
    expect(fitted.endsWith('…')).toBe(true);
    expect(fitted.length).toBeLessThanOrEqual(134);
    expect(countSegments(fitted)).toBe(2);
    expect(fitted).not.toMatch(/[\uD800-\uDBFF]…$/);
  });
});
